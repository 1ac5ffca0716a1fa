package dev.bulwark.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** One YAML mapping with its path and position, and typed, range-checked reads that fail with file and line. */
final class Section {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private final String file;
    private final String path;
    private final MappingNode node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    Section(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, "", "must be a mapping of keys to values");
        }
        this.node = mapping;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (entries.putIfAbsent(key, tuple) != null) {
                throw error(tuple.getKeyNode(), key, "is given twice; give each setting once");
            }
        }
    }

    /** Refuses keys outside {@code allowed}, suggesting the closest allowed one. */
    Section allowOnly(Set<String> allowed) {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                String suggestion = closest(entry.getKey(), allowed);
                throw error(entry.getValue().getKeyNode(), entry.getKey(), "is not a known setting"
                        + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
                        + " Known here: " + new java.util.TreeSet<>(allowed));
            }
        }
        return this;
    }

    String file() {
        return file;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    String path() {
        return path;
    }

    int lineOf(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? line() : tuple.getValueNode().getStartMark().getLine() + 1;
    }

    String string(String key, String fallback) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? fallback : scalar(tuple.getValueNode(), key);
    }

    String requiredString(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            throw new ConfigFileException(file, line(), field(key), "is required");
        }
        String value = scalar(tuple.getValueNode(), key);
        if (value.isBlank()) {
            throw error(tuple.getValueNode(), key, "must not be blank");
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return fallback;
        }
        String value = scalar(tuple.getValueNode(), key).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw error(tuple.getValueNode(), key, "must be true or false, was " + value);
        }
        return Boolean.parseBoolean(value);
    }

    int integer(String key, int fallback, int min, int max) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return fallback;
        }
        String raw = scalar(tuple.getValueNode(), key);
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw error(tuple.getValueNode(), key, "must be an integer in [" + min + ", " + max + "], was " + raw);
            }
            return value;
        } catch (NumberFormatException notANumber) {
            throw error(tuple.getValueNode(), key, "must be an integer in [" + min + ", " + max + "], was " + raw);
        }
    }

    double decimal(String key, double fallback, double min, double max) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return fallback;
        }
        String raw = scalar(tuple.getValueNode(), key);
        String allowed = "must be a number in [" + min + ", " + max + "], was " + raw;
        try {
            double value = Double.parseDouble(raw);
            if (!(value >= min && value <= max)) {
                throw error(tuple.getValueNode(), key, allowed);
            }
            return value;
        } catch (NumberFormatException notANumber) {
            throw error(tuple.getValueNode(), key, allowed);
        }
    }

    /** A duration: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a plain number of seconds ({@code 60.0}). */
    Duration duration(String key, Duration fallback, Duration min) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return fallback;
        }
        String raw = scalar(tuple.getValueNode(), key).trim();
        Matcher matcher = DURATION.matcher(raw);
        String allowed = "a duration like 30s, 500ms, 2m, 1h or a number of seconds, at least " + min;
        if (!matcher.matches()) {
            throw error(tuple.getValueNode(), key, "must be " + allowed + ", was " + raw);
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        Duration value = Duration.ofNanos(Math.round(millis * 1_000_000));
        if (value.compareTo(min) < 0) {
            throw error(tuple.getValueNode(), key, "must be " + allowed + ", was " + raw);
        }
        return value;
    }

    /**
     * The value of {@code key} read as {@code type} ({@code int}, {@code double}, {@code boolean}, {@link Duration},
     * {@link String} or an enum), checking only that it is one: the allowed range is the builder's to check. An enum
     * constant is spelled in lower case, or by its first word when that is unique ({@code count} for
     * {@code COUNT_BASED}).
     */
    Object value(String key, Class<?> type) {
        if (type == int.class) {
            return integer(key, 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (type == double.class) {
            return decimal(key, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        if (type == boolean.class) {
            return bool(key, false);
        }
        if (type == Duration.class) {
            return duration(key, Duration.ZERO, Duration.ZERO);
        }
        if (type == String.class) {
            return string(key, "");
        }
        if (type.isEnum()) {
            return constant(key, type.getEnumConstants());
        }
        throw new IllegalArgumentException("no YAML form for " + type);
    }

    private Object constant(String key, Object[] constants) {
        String raw = string(key, "").trim().toLowerCase(Locale.ROOT);
        List<String> spellings = new ArrayList<>();
        for (Object constant : constants) {
            String full = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
            String first = full.split("_")[0];
            boolean unique = java.util.Arrays.stream(constants)
                    .filter(other -> ((Enum<?>) other).name().toLowerCase(Locale.ROOT).split("_")[0].equals(first))
                    .count() == 1;
            String spelling = unique ? first : full;
            spellings.add(spelling);
            if (raw.equals(spelling) || raw.equals(full)) {
                return constant;
            }
        }
        String allowed = spellings.size() == 2 ? spellings.get(0) + " or " + spellings.get(1)
                : "one of " + String.join(", ", spellings);
        throw error(java.util.Objects.requireNonNull(entries.get(key), key).getValueNode(), key, "must be " + allowed + ", was " + raw);
    }

    /** The keys given here, in file order. */
    Set<String> keys() {
        return entries.keySet();
    }

    /** A mapping of string keys to single string values. */
    Map<String, String> strings(String key) {
        Section inner = section(key);
        if (inner == null) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> entry : inner.entries.entrySet()) {
            values.put(entry.getKey(), inner.scalar(entry.getValue().getValueNode(), entry.getKey()));
        }
        return values;
    }

    /** The mapping under {@code key}, or null when absent; {@code key:} with nothing under it is an empty mapping. */
    @org.jspecify.annotations.Nullable Section section(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return null;
        }
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag())) {
            value = new MappingNode(Tag.MAP, true, List.of(), scalar.getStartMark(), scalar.getEndMark(),
                    DumperOptions.FlowStyle.BLOCK);
        }
        return new Section(file, field(key), value);
    }

    /** A list of single values, e.g. URLs; absent is empty. */
    List<String> scalars(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            throw error(tuple.getValueNode(), key, "must be a list");
        }
        List<String> values = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            values.add(scalar(item, key));
        }
        return values;
    }

    List<Section> list(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            throw error(tuple.getValueNode(), key, "must be a list");
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            sections.add(new Section(file, field(key) + "[" + i + "]", sequence.getValue().get(i)));
        }
        return sections;
    }

    ConfigFileException error(Node at, String key, String problem) {
        return new ConfigFileException(file, at.getStartMark().getLine() + 1, field(key), problem);
    }

    String field(String key) {
        return path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key;
    }

    private String scalar(Node value, String key) {
        if (!(value instanceof ScalarNode scalar)) {
            throw error(value, key, "must be a single value");
        }
        return scalar.getValue();
    }

    private static @org.jspecify.annotations.Nullable String closest(String unknown, Set<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new HashSet<>(allowed)) {
            int distance = distance(unknown, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, unknown.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
