package dev.bulwark.spring.config;

import dev.bulwark.spring.annotation.PolicyKind;
import dev.bulwark.yaml.ConfigFileException;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads {@code bulwark.*} from a Spring environment into {@link BulwarkSettings}. The fault-tolerance keys
 * ({@code bulwark.defaults} and each {@code bulwark.instances.<name>}) go through bulwark-yaml's own schema, exactly
 * as the gateway file's {@code fault_tolerance:} block and an adapter's block do: same keys, same defaults, same
 * ranges, same messages, the instance laid over the defaults key by key. Keys may be written snake_case,
 * kebab-case or camelCase; instance and pipeline names are kept as written. Environment variables
 * ({@code BULWARK_INSTANCES_PAYMENTS_RETRY_MAX_RETRIES}) count too, mapped onto the schema's keys by
 * {@link EnvironmentVariables}; a variable that names no key or reads two ways stops the startup naming it.
 *
 * <p>Every problem is a {@link BulwarkConfigException} naming the property, what is allowed, the value and where it
 * was set.
 */
public final class SettingsReader {
    private static final String PREFIX = "bulwark.";
    private static final Set<String> TOP = Set.of("enabled", "defaults", "instances", "annotations", "pipelines",
            "health", "context");
    private static final Set<String> ANNOTATIONS = Set.of("order", "on_uninterceptable", "advisor_order");
    /** Gateway settings that mean nothing to an application. */
    private static final Set<String> GATEWAY_ONLY = Set.of("enabled", "execution", "health_monitoring", "event_handler");
    private static final Set<String> BLOCKS = Set.of("retry", "bulkhead", "rate_limit", "hedge", "adaptive_threshold",
            "health_score");
    private static final Pattern ADAPTER_FIELD = Pattern.compile("adapters\\[(\\d+)](?:\\.fault_tolerance)?(?:\\.(.*))?");

    /** One property as written, with its value and where it came from. */
    private record Property(String name, String value, @Nullable String origin, boolean system) {
    }

    private final ConfigurableEnvironment environment;
    private final Map<String, Property> properties = new LinkedHashMap<>();

    /** A property name found in a source, kept in the sources' order of precedence until names can be resolved. */
    private record Found(PropertySource<?> source, String name, boolean variable) {
    }

    private final List<Found> found = new ArrayList<>();

    private SettingsReader(ConfigurableEnvironment environment) {
        this.environment = environment;
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                if (name.startsWith(PREFIX)) {
                    found.add(new Found(source, name, false));
                } else if (variables && name.toUpperCase(Locale.ROOT).startsWith(EnvironmentVariables.PREFIX)) {
                    found.add(new Found(source, name, true));
                }
            }
        }
    }

    /**
     * Fills {@link #properties}, the first source that sets a key winning: dotted names as written, environment
     * variables mapped onto the schema's keys (instance and pipeline names known from the other sources and from
     * {@code instanceNames} recognised whatever their case).
     */
    private void resolve(Set<String> instanceNames) {
        properties.clear();
        Set<String> instances = new LinkedHashSet<>(instanceNames);
        Set<String> pipelines = new LinkedHashSet<>();
        for (Found each : found) {
            if (!each.variable()) {
                String[] parts = normalize(each.name()).split("\\.", 3);
                if (parts.length > 1 && parts[0].equals("instances")) {
                    instances.add(parts[1]);
                } else if (parts.length > 1 && parts[0].equals("pipelines")) {
                    pipelines.add(parts[1]);
                }
            }
        }
        for (Found each : found) {
            String key;
            String origin;
            if (each.variable()) {
                key = EnvironmentVariables.key(each.name(), instances, pipelines);
                if (key == null) {
                    continue;
                }
                origin = "environment variable, read as " + PREFIX + key;
            } else {
                key = normalize(each.name());
                Origin written = OriginLookup.getOrigin(each.source(), each.name());
                origin = written == null ? null : written.toString();
            }
            if (properties.containsKey(key)) {
                continue;
            }
            Object value = each.variable() ? each.source().getProperty(each.name()) : environment.getProperty(each.name());
            boolean system = each.source().getName().equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
            properties.put(key, new Property(each.name(), value == null ? "" : value.toString(), origin, system));
        }
    }

    /** A reader of the environment's {@code bulwark.*} properties as they are now. */
    public static SettingsReader of(ConfigurableEnvironment environment) {
        return new SettingsReader(environment);
    }

    /**
     * Reads and validates everything: the order, the pipelines and the instances named in the configuration or in
     * {@code needs} (each with the policy kinds some method uses; a kind whose block is absent is built from the
     * defaults, so that its required settings are reported if nobody gave them).
     *
     * @throws BulwarkConfigException on the first problem
     */
    public BulwarkSettings read(Map<String, Set<PolicyKind>> needs) {
        resolve(needs.keySet());
        checkTopLevel();
        Map<String, List<PolicyKind>> pipelines = pipelines();
        Map<String, Set<PolicyKind>> allNeeds = new LinkedHashMap<>();
        needs.forEach((name, kinds) -> allNeeds.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(kinds));
        pipelines.forEach((name, kinds) -> allNeeds.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(kinds));
        return new BulwarkSettings(instances(allNeeds), order(), pipelines, failOnUninterceptable());
    }

    private void checkTopLevel() {
        for (Map.Entry<String, Property> entry : properties.entrySet()) {
            String first = entry.getKey().split("[.\\[]", 2)[0];
            if (!TOP.contains(first) && !entry.getValue().system()) {
                // a JVM's system properties are shared with other tools (build flags): only files are held to the schema
                throw new BulwarkConfigException(entry.getValue().name(), entry.getValue().name()
                        + " is not a known setting; known under bulwark: " + new TreeSet<>(TOP) + where(entry.getValue()));
            }
            if (first.equals("annotations")) {
                String second = entry.getKey().substring("annotations.".length()).split("[.\\[]", 2)[0];
                if (!ANNOTATIONS.contains(second)) {
                    throw new BulwarkConfigException(entry.getValue().name(), entry.getValue().name()
                            + " is not a known setting; known under bulwark.annotations: " + new TreeSet<>(ANNOTATIONS)
                            + where(entry.getValue()));
                }
            }
        }
    }

    private List<PolicyKind> order() {
        List<String> given = Binder.get(environment).bind("bulwark.annotations.order", Bindable.listOf(String.class))
                .orElse(List.of());
        return given.isEmpty() ? PolicyKind.DEFAULT_ORDER : kinds("bulwark.annotations.order", given, true);
    }

    private boolean failOnUninterceptable() {
        String mode = Binder.get(environment).bind("bulwark.annotations.on-uninterceptable", String.class).orElse("fail");
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "fail" -> true;
            case "warn" -> false;
            default -> throw new BulwarkConfigException("bulwark.annotations.on-uninterceptable",
                    "bulwark.annotations.on-uninterceptable must be fail or warn, was " + mode);
        };
    }

    private Map<String, List<PolicyKind>> pipelines() {
        Map<String, List<PolicyKind>> pipelines = new LinkedHashMap<>();
        for (String key : properties.keySet()) {
            if (key.startsWith("pipelines.")) {
                String name = key.substring("pipelines.".length()).split("\\.", 2)[0];
                String property = "bulwark.pipelines." + name + ".policies";
                if (!pipelines.containsKey(name)) {
                    List<String> given = Binder.get(environment).bind(property, Bindable.listOf(String.class))
                            .orElse(List.of());
                    Property written = properties.get("pipelines." + name + ".policies");
                    if (given.isEmpty() && written != null && !written.value().isBlank()) {
                        // a variable whose name Spring's binder cannot map back (a pipeline name with _)
                        given = Arrays.stream(written.value().split(",")).map(String::trim).toList();
                    }
                    if (given.isEmpty()) {
                        throw new BulwarkConfigException(property, property
                                + " must list the pipeline's policies, outermost first (e.g. [circuit_breaker, retry, "
                                + "timeout]), was not given");
                    }
                    List<PolicyKind> kinds = kinds(property, given, false);
                    if (kinds.contains(PolicyKind.FALLBACK)) {
                        throw new BulwarkConfigException(property, property + " must not list fallback (a fallback "
                                + "is a method: put @Fallback on the method), was " + given);
                    }
                    pipelines.put(name, kinds);
                }
            }
        }
        return pipelines;
    }

    /** The kinds {@code given} names; with {@code complete}, each of the seven exactly once. */
    static List<PolicyKind> kinds(String property, List<String> given, boolean complete) {
        List<PolicyKind> kinds = new ArrayList<>();
        for (String name : given) {
            try {
                kinds.add(PolicyKind.parse(name));
            } catch (IllegalArgumentException unknown) {
                throw new BulwarkConfigException(property, property + " must list policy kinds (fallback, "
                        + "rate_limiter, bulkhead, circuit_breaker, retry, hedge, timeout), was " + given);
            }
        }
        String problem = OrderCheck.problem(kinds, complete);
        if (problem != null) {
            throw new BulwarkConfigException(property, property + " " + problem);
        }
        return List.copyOf(kinds);
    }

    private Map<String, InstanceSettings> instances(Map<String, Set<PolicyKind>> needs) {
        Map<String, Object> defaults = tree("defaults.");
        for (String key : defaults.keySet()) {
            if (GATEWAY_ONLY.contains(key)) {
                throw refused("defaults." + key, "is a gateway setting, not used by the starter (set bulwark.enabled, "
                        + "or operation_timeout for @Timeout)");
            }
        }
        Object timeout = defaults.remove("operation_timeout");
        if (timeout != null) {
            defaults.put("execution", Map.of("timeout", timeout));
        }
        Set<String> names = new LinkedHashSet<>();
        for (String key : properties.keySet()) {
            if (key.startsWith("instances.")) {
                names.add(key.substring("instances.".length()).split("\\.", 2)[0]);
            }
        }
        names.addAll(needs.keySet());
        List<String> order = new ArrayList<>(names);
        if (order.isEmpty()) {
            order.add("default");
        }
        List<Map<String, Object>> adapters = new ArrayList<>();
        for (String name : order) {
            Map<String, Object> own = tree("instances." + name + ".");
            if (own.containsKey("event_handler")) {
                throw refused("instances." + name + ".event_handler", "is a gateway setting, not used by the starter");
            }
            for (PolicyKind kind : needs.getOrDefault(name, Set.of())) {
                String block = blockOf(kind);
                if (block != null) {
                    own.putIfAbsent(block, new LinkedHashMap<>());
                }
            }
            Map<String, Object> adapter = new LinkedHashMap<>();
            adapter.put("name", name);
            adapter.put("fault_tolerance", own);
            adapters.add(adapter);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("fault_tolerance", defaults);
        root.put("adapters", adapters);
        GatewayConfig parsed;
        try {
            parsed = GatewayConfigLoader.parse("bulwark", yaml().dump(root));
        } catch (ConfigFileException invalid) {
            throw translate(invalid, order);
        }
        Map<String, InstanceSettings> instances = new LinkedHashMap<>();
        for (GatewayConfig.Adapter adapter : parsed.adapters()) {
            instances.put(adapter.name(), new InstanceSettings(adapter.name(), adapter.circuitBreaker(),
                    adapter.policies(), adapter.operationTimeout()));
        }
        return instances;
    }

    private static @Nullable String blockOf(PolicyKind kind) {
        return switch (kind) {
            case RETRY -> "retry";
            case BULKHEAD -> "bulkhead";
            case RATE_LIMITER -> "rate_limit";
            case HEDGE -> "hedge";
            default -> null;
        };
    }

    /** The properties under {@code prefix} as nested maps of strings. */
    private Map<String, Object> tree(String prefix) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Property> entry : properties.entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                continue;
            }
            String[] path = entry.getKey().substring(prefix.length()).split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < path.length - 1; i++) {
                Object child = node.get(path[i]);
                if (!(child instanceof Map)) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(path[i], child);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) child;
                node = inner;
            }
            String leaf = path[path.length - 1];
            String value = entry.getValue().value();
            if (!(node.get(leaf) instanceof Map)) {
                node.put(leaf, value.isEmpty() && BLOCKS.contains(leaf) ? new LinkedHashMap<String, Object>() : value);
            }
        }
        return root;
    }

    private BulwarkConfigException translate(ConfigFileException invalid, List<String> names) {
        String field = invalid.field();
        String prefix = invalid.file() + ":" + invalid.line() + ": " + (field.isEmpty() ? "" : field + " ");
        String message = String.valueOf(invalid.getMessage());
        String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        String key;
        Matcher adapter = ADAPTER_FIELD.matcher(field);
        if (adapter.matches()) {
            String rest = adapter.group(2);
            key = "instances." + names.get(Integer.parseInt(adapter.group(1))) + (rest == null ? "" : "." + rest);
        } else if (field.equals("fault_tolerance.execution.timeout")) {
            key = "defaults.operation_timeout";
        } else if (field.startsWith("fault_tolerance")) {
            key = "defaults" + field.substring("fault_tolerance".length());
        } else {
            key = field;
        }
        return refused(key, problem);
    }

    private BulwarkConfigException refused(String key, String problem) {
        Property property = properties.get(key);
        String name = property == null ? PREFIX + key : property.name();
        return new BulwarkConfigException(name, name + " " + problem + (property == null ? "" : where(property)));
    }

    private static String where(Property property) {
        return property.origin() == null ? "" : " (" + property.origin() + ")";
    }

    /** Without the prefix; kebab-case and camelCase keys become snake_case, instance and pipeline names stay as written. */
    private static String normalize(String name) {
        String[] parts = name.substring(PREFIX.length()).split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean isName = i == 1 && (parts[0].equals("instances") || parts[0].equals("pipelines"));
            if (!isName) {
                parts[i] = parts[i].replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replace('-', '_');
            }
        }
        return String.join(".", parts);
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options);
    }
}
