package dev.bulwark.yaml;

import dev.bulwark.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads an {@code event_handler:} block into an {@link EventHandlerConfig}: the keys allowed depend on {@code type};
 * the ranges are the records' own, reported at the key's file and line. A {@code custom} class must be on the class
 * path now, so that a typo fails at load naming it.
 */
final class EventHandlerSection {
    static final String KEY = "event_handler";
    private static final Set<String> FILE_LOG = Set.of("type", "file", "max_file_bytes", "max_files");
    private static final Set<String> WEBHOOK = Set.of("type", "url", "queue_size", "max_retries", "initial_backoff",
            "max_backoff", "timeout", "headers");
    private static final Set<String> CUSTOM = Set.of("type", "class");

    private EventHandlerSection() {
    }

    static @Nullable EventHandlerConfig read(@Nullable Section block) {
        if (block == null) {
            return null;
        }
        String type = block.requiredString("type").trim();
        return switch (type) {
            case "default" -> {
                block.allowOnly(FILE_LOG);
                yield located(block, () -> new EventHandlerConfig.FileLog(Path.of(block.string("file", "bulwark-events.jsonl")),
                        longValue(block, "max_file_bytes", 10L << 20), block.integer("max_files", 5, Integer.MIN_VALUE,
                        Integer.MAX_VALUE)));
            }
            case "monitoring" -> {
                block.allowOnly(WEBHOOK);
                URI url = httpUrl(block, "url");
                Duration initial = block.duration("initial_backoff", Duration.ofSeconds(1), Duration.ZERO);
                yield located(block, () -> new EventHandlerConfig.Webhook(url,
                        block.integer("queue_size", 1000, Integer.MIN_VALUE, Integer.MAX_VALUE),
                        block.integer("max_retries", 3, Integer.MIN_VALUE, Integer.MAX_VALUE), initial,
                        block.duration("max_backoff", Duration.ofSeconds(60), Duration.ZERO),
                        block.duration("timeout", Duration.ofSeconds(5), Duration.ZERO), block.strings("headers")));
            }
            case "custom" -> {
                block.allowOnly(CUSTOM);
                String name = block.requiredString("class").trim();
                try {
                    Class.forName(name, false, Thread.currentThread().getContextClassLoader() == null
                            ? EventHandlerSection.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException | LinkageError missing) {
                    throw new ConfigFileException(block.file(), block.lineOf("class"), block.field("class"),
                            "must name a class on the class path, was " + name + " (not found)");
                }
                yield new EventHandlerConfig.Custom(name);
            }
            default -> throw new ConfigFileException(block.file(), block.lineOf("type"), block.field("type"),
                    "must be default, monitoring or custom, was " + type);
        };
    }

    static URI httpUrl(Section block, String key) {
        String raw = block.requiredString(key).trim();
        try {
            URI uri = URI.create(raw);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below with the field and line
        }
        throw new ConfigFileException(block.file(), block.lineOf(key), block.field(key), "must be an http(s) URL, was " + raw);
    }

    private static long longValue(Section block, String key, long fallback) {
        if (!block.has(key)) {
            return fallback;
        }
        String raw = block.string(key, "").trim();
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException notANumber) {
            throw new ConfigFileException(block.file(), block.lineOf(key), block.field(key), "must be an integer, was " + raw);
        }
    }

    /** Builds a record, reporting its {@link ConfigException} at the line of the key named by the field. */
    static <T> T located(Section block, Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException invalid) {
            throw new ConfigFileException(block.file(), block.lineOf(invalid.field()), block.field(invalid.field()),
                    "must be " + invalid.allowed() + ", was " + invalid.value());
        }
    }
}
