package dev.bulwark.spring.config;

import dev.bulwark.yaml.FaultToleranceKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps an environment variable such as {@code BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRIES} onto the dotted key it
 * means ({@code instances.payments.retry.max_retries}), by Spring's relaxed rules for environment variables: upper
 * case, each {@code .} written {@code _}, and a key's words either separated by {@code _} or run together
 * ({@code MAXRETRIES}). Because {@code _} also separates words, the key is found by matching the ending against
 * bulwark-yaml's schema; an instance or pipeline name already used in another property source or an annotation is
 * recognised whatever its case. A variable that reads two ways, or names no key, stops the startup naming it.
 */
final class EnvironmentVariables {
    static final String PREFIX = "BULWARK_";
    private static final Map<String, Set<String>> SCHEMA = FaultToleranceKeys.adapterBlock();
    /** The block's own keys: leaves and the names of the nested blocks. */
    private static final Set<String> TOP = Objects.requireNonNull(SCHEMA.get(""));
    private static final List<String> ANNOTATIONS = List.of("order", "on_uninterceptable", "advisor_order");

    private EnvironmentVariables() {
    }

    /**
     * The key (without {@code bulwark.}) that {@code variable} sets, or null when it is not one the starter reads
     * through the schema (another tool's {@code BULWARK_PORT}, or a setting Spring binds itself).
     *
     * @throws BulwarkConfigException when it names no known key or reads as more than one
     */
    static @Nullable String key(String variable, Set<String> instances, Set<String> pipelines) {
        List<String> tokens = Arrays.asList(variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_", -1));
        List<String> rest = tokens.subList(1, tokens.size());
        return switch (tokens.get(0)) {
            case "defaults" -> defaults(variable, rest);
            case "instances" -> named(variable, rest, instances);
            case "pipelines" -> pipeline(variable, rest, pipelines);
            case "annotations" -> annotation(variable, rest);
            // enabled, health and context are bound by Spring itself; anything else is another tool's (BULWARK_PORT)
            default -> null;
        };
    }

    private static String defaults(String variable, List<String> tokens) {
        List<String> paths = paths(tokens);
        if (paths.size() != 1) {
            throw paths.isEmpty() ? unknown(variable, "bulwark.defaults.<key>")
                    : ambiguous(variable, paths.stream().map(p -> "bulwark.defaults." + p).toList());
        }
        return "defaults." + paths.get(0);
    }

    private static String named(String variable, List<String> tokens, Set<String> known) {
        Set<String> readings = new LinkedHashSet<>();
        Set<String> knownReadings = new LinkedHashSet<>();
        for (int split = 1; split < tokens.size(); split++) {
            List<String> nameTokens = tokens.subList(0, split);
            for (String path : paths(tokens.subList(split, tokens.size()))) {
                readings.add(String.join("_", nameTokens) + "." + path);
                for (String name : known) {
                    if (canonical(name).equals(String.join("", nameTokens))) {
                        knownReadings.add(name + "." + path);
                    }
                }
            }
        }
        Set<String> chosen = knownReadings.isEmpty() ? readings : knownReadings;
        if (chosen.size() != 1) {
            throw chosen.isEmpty() ? unknown(variable, "bulwark.instances.<name>.<key>")
                    : ambiguous(variable, chosen.stream().map(r -> "bulwark.instances." + r).toList());
        }
        return "instances." + chosen.iterator().next();
    }

    private static String pipeline(String variable, List<String> tokens, Set<String> known) {
        if (tokens.size() < 2 || !tokens.get(tokens.size() - 1).equals("policies")) {
            throw new BulwarkConfigException(variable, variable + " is not a known setting: a pipeline is set as "
                    + "BULWARK_PIPELINES_<NAME>_POLICIES (bulwark.pipelines.<name>.policies)");
        }
        List<String> nameTokens = tokens.subList(0, tokens.size() - 1);
        String name = String.join("_", nameTokens);
        for (String candidate : known) {
            if (canonical(candidate).equals(String.join("", nameTokens))) {
                name = candidate;
            }
        }
        return "pipelines." + name + ".policies";
    }

    private static String annotation(String variable, List<String> tokens) {
        for (String key : ANNOTATIONS) {
            if (spells(key, tokens).contains(tokens.size())) {
                return "annotations." + key;
            }
        }
        throw new BulwarkConfigException(variable, variable + " is not a known setting; known under "
                + "bulwark.annotations: " + ANNOTATIONS);
    }

    /** Every way {@code tokens} read as a key of the fault-tolerance block, dotted. */
    private static List<String> paths(List<String> tokens) {
        List<String> found = new ArrayList<>();
        for (String key : TOP) {
            for (int used : spells(key, tokens)) {
                List<String> rest = tokens.subList(used, tokens.size());
                Set<String> inner = SCHEMA.get(key);
                if (rest.isEmpty()) {
                    found.add(key);
                } else if (inner != null) {
                    for (String innerKey : inner) {
                        if (spells(innerKey, rest).contains(rest.size())) {
                            found.add(key + "." + innerKey);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** How many leading tokens spell {@code key}: its words one per token, or all run together in one token. */
    private static List<Integer> spells(String key, List<String> tokens) {
        List<Integer> counts = new ArrayList<>();
        List<String> words = Arrays.asList(key.split("_"));
        if (tokens.size() >= words.size() && tokens.subList(0, words.size()).equals(words)) {
            counts.add(words.size());
        }
        if (words.size() > 1 && !tokens.isEmpty() && tokens.get(0).equals(String.join("", words))) {
            counts.add(1);
        }
        return counts;
    }

    /** A name as an environment variable can spell it: lower case, without separators. */
    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
    }

    private static BulwarkConfigException unknown(String variable, String shape) {
        return new BulwarkConfigException(variable, variable + " (environment variable) is not a known setting: read as "
                + shape + ", no ending of it is a key of the fault-tolerance block; keys: " + TOP
                + ", and inside the blocks " + SCHEMA.keySet().stream().filter(b -> !b.isEmpty()).toList());
    }

    private static BulwarkConfigException ambiguous(String variable, List<String> readings) {
        return new BulwarkConfigException(variable, variable + " (environment variable) is ambiguous: it reads as "
                + String.join(" or as ", readings) + "; name the instance in application.yml or an annotation, or "
                + "write the key's words run together (e.g. MAXRECOVERYTIMEOUT)");
    }
}
