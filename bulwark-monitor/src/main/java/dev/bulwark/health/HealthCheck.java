package dev.bulwark.health;

import dev.bulwark.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One health check: a name, a function, how often it runs, how long it may take, and whether its failure
 * makes the whole system UNHEALTHY (critical) or only DEGRADED. A function that throws or overruns its
 * timeout counts as UNHEALTHY.
 *
 * @param name unique within a monitor
 * @param probe the check itself, asynchronous
 * @param blocking whether the probe blocks (the monitor then runs it on its executor)
 * @param interval how often it runs (default 30 s)
 * @param timeout how long one run may take
 * @param critical whether its failure makes the aggregate UNHEALTHY
 */
public record HealthCheck(String name, Supplier<CompletionStage<CheckResult.Finding>> probe, boolean blocking,
                          Duration interval, Duration timeout, boolean critical) {

    /** The default interval between runs (YAML {@code check_interval}). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** The default time one run may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the fields. */
    public HealthCheck {
        String who = "health check '" + Checks.name("health check", name) + "'";
        Objects.requireNonNull(probe, "probe");
        Checks.positive(who, "interval", interval);
        Checks.positive(who, "timeout", timeout);
    }

    /** A blocking check that answers healthy or not (for example {@code active < max * 0.8}). */
    public static HealthCheck of(String name, BooleanSupplier healthy) {
        Objects.requireNonNull(healthy, "healthy");
        return ofFinding(name, () -> healthy.getAsBoolean() ? CheckResult.Finding.healthy("ok")
                : CheckResult.Finding.unhealthy("check returned false"));
    }

    /** A blocking check that returns a full finding. */
    public static HealthCheck ofFinding(String name, Callable<CheckResult.Finding> check) {
        Objects.requireNonNull(check, "check");
        return new HealthCheck(name, () -> {
            try {
                return CompletableFuture.completedFuture(check.call());
            } catch (Exception failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }, true, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, false);
    }

    /** An asynchronous check. */
    public static HealthCheck async(String name, Supplier<CompletionStage<CheckResult.Finding>> check) {
        return new HealthCheck(name, check, false, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, false);
    }

    /** This check, run every {@code interval}. */
    public HealthCheck withInterval(Duration interval) {
        return new HealthCheck(name, probe, blocking, interval, timeout, critical);
    }

    /** This check, allowed {@code timeout} per run. */
    public HealthCheck withTimeout(Duration timeout) {
        return new HealthCheck(name, probe, blocking, interval, timeout, critical);
    }

    /** This check, critical (its failure makes the aggregate UNHEALTHY). */
    public HealthCheck asCritical() {
        return new HealthCheck(name, probe, blocking, interval, timeout, true);
    }
}
