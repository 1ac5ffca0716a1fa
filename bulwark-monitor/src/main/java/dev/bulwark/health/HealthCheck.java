package dev.bulwark.health;

import dev.bulwark.internal.Checks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One health check: a name, a function, how often it runs, how long it may take, and whether its failure
 * makes the whole system UNHEALTHY (critical) or only DEGRADED. A function that throws or overruns its
 * timeout counts as UNHEALTHY.
 *
 * @param name unique within a monitor
 * @param probe the check itself, asynchronous
 * @param blocking whether the probe blocks (the monitor then runs it on its executor)
 * @param interval how often it runs, or null (the default) to run at its monitor's
 *        {@linkplain HealthMonitor.Config#checkInterval() check interval}
 * @param timeout how long one run may take
 * @param critical whether its failure makes the aggregate UNHEALTHY
 */
public record HealthCheck(String name, Supplier<CompletionStage<Finding>> probe, boolean blocking,
                          @Nullable Duration interval, Duration timeout, boolean critical) {

    /** The default time one run may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the fields. */
    public HealthCheck {
        String who = "health check '" + Checks.name("health check", name) + "'";
        Objects.requireNonNull(probe, "probe");
        if (interval != null) {
            Checks.positive(who, "interval", interval);
        }
        Checks.positive(who, "timeout", timeout);
    }

    /** A blocking check that answers healthy or not (for example {@code active < max * 0.8}). */
    public static HealthCheck of(String name, BooleanSupplier healthy) {
        Objects.requireNonNull(healthy, "healthy");
        return ofFinding(name, () -> healthy.getAsBoolean() ? Finding.healthy("ok")
                : Finding.unhealthy("check returned false"));
    }

    /** A blocking check that returns a full finding. */
    public static HealthCheck ofFinding(String name, Callable<Finding> check) {
        Objects.requireNonNull(check, "check");
        return new HealthCheck(name, () -> {
            try {
                return CompletableFuture.completedFuture(check.call());
            } catch (Exception failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }, true, null, DEFAULT_TIMEOUT, false);
    }

    /** An asynchronous check. */
    public static HealthCheck async(String name, Supplier<CompletionStage<Finding>> check) {
        return new HealthCheck(name, check, false, null, DEFAULT_TIMEOUT, false);
    }

    /** Built in: heap used against the maximum, DEGRADED from 80 %, UNHEALTHY from 95 %. */
    public static HealthCheck heap() {
        return HealthChecks.heap();
    }

    /**
     * Built in: system load average per core, DEGRADED from 85 %, UNHEALTHY from 98 %; HEALTHY when the platform
     * cannot tell.
     */
    public static HealthCheck cpuLoad() {
        return HealthChecks.cpuLoad();
    }

    /** Built in: space used on the file store holding {@code path}, DEGRADED from 80 %, UNHEALTHY from 95 %. */
    public static HealthCheck diskSpace(java.nio.file.Path path) {
        return HealthChecks.diskSpace(Objects.requireNonNull(path, "path"));
    }

    /** Built in: the registry's circuit breakers, DEGRADED while any is open or forced open, naming them. */
    public static HealthCheck circuitBreakers(dev.bulwark.event.Registry registry) {
        return HealthChecks.circuitBreakers(Objects.requireNonNull(registry, "registry"));
    }

    /** This check, run every {@code interval} whatever its monitor's check interval. */
    public HealthCheck withInterval(Duration interval) {
        return new HealthCheck(name, probe, blocking, Objects.requireNonNull(interval, "interval"), timeout, critical);
    }

    /** This check, allowed {@code timeout} per run. */
    public HealthCheck withTimeout(Duration timeout) {
        return new HealthCheck(name, probe, blocking, interval, timeout, critical);
    }

    /** This check, critical (its failure makes the aggregate UNHEALTHY). */
    public HealthCheck asCritical() {
        return new HealthCheck(name, probe, blocking, interval, timeout, true);
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
            Map<String, Object> more = new LinkedHashMap<>(details);
            more.put(key, value);
            return new Finding(status, message, more);
        }
    }

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
    public record Result(String check, HealthStatus status, String message, Map<String, Object> details,
                              long wallMillis, Duration duration) {

        /** Copies the details. */
        public Result {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
            details = Map.copyOf(details);
        }
    }
}
