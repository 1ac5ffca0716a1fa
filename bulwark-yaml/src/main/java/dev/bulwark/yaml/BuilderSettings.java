package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one rule between a YAML block and a core builder: a key is the snake_case of the builder setting it gives
 * ({@code max_concurrent_calls} gives {@code maxConcurrentCalls(int)}), a key inside a nested block likewise by its
 * own name, except the few spellings of the original file format listed in an explicit alias table. Nothing else
 * maps keys to settings.
 *
 * <p>Layers (the global block, then the adapter's) are merged first, the last layer giving a key winning, because a
 * builder refuses a setting given twice. Each value is read with only its YAML type checked (integer, number,
 * duration, true/false, text, or one of an enum's names) as the setter's parameter type says; ranges and defaults
 * are core's alone. A {@link ConfigException} from the builder becomes a {@link ConfigFileException} at the file
 * and line of the key that gave the field, or at the block when the field kept its default.
 */
final class BuilderSettings {
    /** Where a setting was given: the section holding it and the key there. */
    private record Given(Section section, String key) {
    }

    private final Map<String, Given> bySetting = new LinkedHashMap<>();
    private final Map<String, String> aliases;
    private final String prefix;
    private final Section owner;

    private BuilderSettings(Map<String, String> aliases, String prefix, Section owner) {
        this.aliases = aliases;
        this.prefix = prefix;
        this.owner = owner;
    }

    /**
     * Merges the keys in {@code keys} of each layer, later layers overriding earlier ones; a key in {@code nested}
     * is a block whose keys are merged one by one (its path, e.g. {@code health_score.recovery_score}, is what the
     * alias table sees).
     *
     * @param owner where an error on a setting no layer gave is reported (the last layer)
     * @param prefix the block's name as it appears in messages when {@code owner} is the enclosing section, or ""
     */
    static BuilderSettings merge(List<Section> layers, Set<String> keys, Set<String> nested,
                                 Map<String, String> aliases, Section owner, String prefix) {
        BuilderSettings settings = new BuilderSettings(aliases, prefix, owner);
        for (Section layer : layers) {
            for (String key : layer.keys()) {
                if (!keys.contains(key)) {
                    continue;
                }
                if (nested.contains(key)) {
                    Section block = java.util.Objects.requireNonNull(layer.section(key), key);
                    for (String inner : block.keys()) {
                        settings.bySetting.put(settings.settingOf(key + "." + inner), new Given(block, inner));
                    }
                } else {
                    settings.bySetting.put(settings.settingOf(key), new Given(layer, key));
                }
            }
        }
        return settings;
    }

    /** The setting a key (or nested path) gives: its alias, else the camelCase of its last part. */
    String settingOf(String path) {
        String alias = aliases.get(path);
        return alias != null ? alias : camelCase(path.substring(path.lastIndexOf('.') + 1));
    }

    /** {@code max_concurrent_calls} to {@code maxConcurrentCalls}. */
    static String camelCase(String key) {
        StringBuilder setting = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                setting.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return setting.toString();
    }

    /** {@code maxConcurrentCalls} to {@code max_concurrent_calls}. */
    static String snakeCase(String setting) {
        StringBuilder key = new StringBuilder();
        for (char c : setting.toCharArray()) {
            if (Character.isUpperCase(c)) {
                key.append('_').append(Character.toLowerCase(c));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    boolean has(String setting) {
        return bySetting.containsKey(setting);
    }

    /** The given value of {@code setting} read as {@code type}, or {@code fallback} when no layer gave it. */
    <T> T value(String setting, Class<T> type, T fallback) {
        Given at = bySetting.get(setting);
        @SuppressWarnings("unchecked")
        T value = at == null ? fallback : (T) at.section().value(at.key(), type);
        return value;
    }

    /** The value given for {@code setting}, or null when no layer gave it (a setting without a default). */
    <T> @org.jspecify.annotations.Nullable T valueOrNull(String setting, Class<T> type) {
        Given at = bySetting.get(setting);
        @SuppressWarnings("unchecked")
        T value = at == null ? null : (T) at.section().value(at.key(), type);
        return value;
    }

    /** Gives every merged setting to {@code builder} through its one-argument setter of the same name. */
    void applyTo(Object builder) {
        for (Map.Entry<String, Given> entry : bySetting.entrySet()) {
            Method setter = setter(builder.getClass(), entry.getKey());
            Given at = entry.getValue();
            Object value = at.section().value(at.key(), setter.getParameterTypes()[0]);
            try {
                setter.invoke(builder, value);
            } catch (InvocationTargetException failed) {
                if (failed.getCause() instanceof ConfigException invalid) {
                    throw located(invalid);
                }
                throw new IllegalStateException("setting " + entry.getKey() + " failed", failed.getCause());
            } catch (IllegalAccessException notPublic) {
                throw new IllegalStateException("setting " + entry.getKey() + " is not public", notPublic);
            }
        }
    }

    /** The public one-argument setter called {@code setting}; each key a block allows has one (tested). */
    static Method setter(Class<?> builder, String setting) {
        for (Method method : builder.getMethods()) {
            if (method.getName().equals(setting) && method.getParameterCount() == 1
                    && !Modifier.isStatic(method.getModifiers())) {
                return method;
            }
        }
        throw new IllegalStateException(builder.getName() + " has no setting " + setting);
    }

    /** Builds with core's checks; a refusal becomes a file-and-line error on the key that gave the field. */
    <T> T build(Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException invalid) {
            throw located(invalid);
        }
    }

    ConfigFileException located(ConfigException invalid) {
        String problem = "must be " + invalid.allowed() + ", was " + invalid.value();
        Given at = bySetting.get(invalid.field());
        if (at != null) {
            return new ConfigFileException(at.section().file(), at.section().lineOf(at.key()),
                    at.section().field(at.key()), problem);
        }
        String key = keyOf(invalid.field());
        return new ConfigFileException(owner.file(), owner.line(), owner.field(prefix.isEmpty() ? key : prefix + "." + key),
                problem);
    }

    /** The YAML key (or nested path) of a setting: its alias, else its snake_case. */
    private String keyOf(String setting) {
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (alias.getValue().equals(setting)) {
                return alias.getKey();
            }
        }
        return snakeCase(setting).toLowerCase(Locale.ROOT);
    }
}
