package dev.bulwark.yaml;

import dev.bulwark.internal.Checks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code event_handler:} block: where the gateway sends its events (circuit transitions, mode changes, fallback
 * outcomes, health changes, reloads). One of three types, chosen by {@code type}.
 */
public sealed interface EventHandlerConfig {

    /** The {@code type} as written in YAML: {@code default}, {@code monitoring} or {@code custom}. */
    String type();

    /**
     * {@code type: default}: one JSON object per line appended to {@code file}; when the file would pass
     * {@code maxFileBytes} it is renamed {@code file.1} (the older ones shifting to {@code .2} ...), and at most
     * {@code maxFiles} rotated files are kept, so the log is bounded.
     *
     * @param file the log file ({@code file}, default {@code bulwark-events.jsonl})
     * @param maxFileBytes the size a file may reach before it is rotated ({@code max_file_bytes}, default 10 MiB,
     *        in [1024, 2^40])
     * @param maxFiles rotated files kept beside the current one ({@code max_files}, default 5, in [1, 100])
     */
    record FileLog(Path file, long maxFileBytes, int maxFiles) implements EventHandlerConfig {
        /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
        public FileLog {
            Objects.requireNonNull(file, "file");
            if (maxFileBytes < 1024 || maxFileBytes > (1L << 40)) {
                throw new dev.bulwark.ConfigException("event_handler", "max_file_bytes", maxFileBytes, "in [1024, 2^40]");
            }
            Checks.between("event_handler", "max_files", maxFiles, 1, 100);
        }

        @Override
        public String type() {
            return "default";
        }
    }

    /**
     * {@code type: monitoring}: each event POSTed as JSON to {@code url}, from a bounded queue, never on the caller's
     * thread; a failed delivery (a connection error, a timeout or a status other than 2xx) is retried with
     * exponential backoff; an event that finds the queue full or runs out of retries is dropped and counted.
     *
     * @param url where events go ({@code url}, http or https, required)
     * @param queueSize events waiting or being delivered at most ({@code queue_size}, default 1000, in [1, 1000000])
     * @param maxRetries retries of a failed delivery ({@code max_retries}, default 3, in [0, 100])
     * @param initialBackoff the wait before the first retry, doubling each retry ({@code initial_backoff}, default 1 s,
     *        at least 1 ms)
     * @param maxBackoff the longest wait between retries ({@code max_backoff}, default 60 s, at least initialBackoff)
     * @param timeout how long one delivery may take ({@code timeout}, default 5 s, at least 1 ms)
     * @param headers extra request headers, e.g. an authorization ({@code headers})
     */
    record Webhook(URI url, int queueSize, int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration timeout,
                   Map<String, String> headers) implements EventHandlerConfig {
        /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
        public Webhook {
            Objects.requireNonNull(url, "url");
            Checks.between("event_handler", "queue_size", queueSize, 1, 1_000_000);
            Checks.between("event_handler", "max_retries", maxRetries, 0, 100);
            Checks.positive("event_handler", "initial_backoff", initialBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new dev.bulwark.ConfigException("event_handler", "max_backoff", maxBackoff,
                        ">= initial_backoff (" + initialBackoff + ")");
            }
            Checks.positive("event_handler", "timeout", timeout);
            headers = Map.copyOf(headers);
        }

        @Override
        public String type() {
            return "monitoring";
        }
    }

    /**
     * {@code type: custom}: an instance of {@code className}, made with its public no-argument constructor; the class
     * must be on the class path and implement the gateway's listener contract.
     *
     * @param className the fully qualified class name ({@code class}, required)
     */
    record Custom(String className) implements EventHandlerConfig {
        /** Requires the name. */
        public Custom {
            Objects.requireNonNull(className, "className");
        }

        @Override
        public String type() {
            return "custom";
        }
    }
}
