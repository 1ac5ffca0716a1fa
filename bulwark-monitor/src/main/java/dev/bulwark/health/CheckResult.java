package dev.bulwark.health;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one run of one check.
 *
 * @param check the check's name
 * @param status what the check found
 * @param message a short human-readable explanation
 * @param details figures behind it (e.g. {@code usedPercent})
 * @param wallMillis when it ran, in epoch milliseconds
 * @param duration how long it took
 */
public record CheckResult(String check, HealthStatus status, String message, Map<String, Object> details,
                          long wallMillis, Duration duration) {

    /** Copies the details. */
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
    }

    /** What a check function returns: a status, a message and details; the monitor adds name, time and duration. */
    public record Finding(HealthStatus status, String message, Map<String, Object> details) {
        /** Copies the details. */
        public Finding {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
            details = Map.copyOf(details);
        }

        /** A healthy finding. */
        public static Finding healthy(String message) {
            return new Finding(HealthStatus.HEALTHY, message, Map.of());
        }

        /** A degraded finding. */
        public static Finding degraded(String message) {
            return new Finding(HealthStatus.DEGRADED, message, Map.of());
        }

        /** An unhealthy finding. */
        public static Finding unhealthy(String message) {
            return new Finding(HealthStatus.UNHEALTHY, message, Map.of());
        }

        /** This finding with details added. */
        public Finding with(String key, Object value) {
            java.util.Map<String, Object> more = new java.util.LinkedHashMap<>(details);
            more.put(key, value);
            return new Finding(status, message, more);
        }
    }
}
