package dev.bulwark.internal;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * A total time split between an initialisation phase and an execution phase (fan-out gives each adapter's
 * initialisation its share of the time left). The default gives 30 % to
 * initialisation and 70 % to execution: {@code TimeBudget.split(Duration.ofSeconds(30))} is 9 s + 21 s.
 *
 * @param initialization the share for setting up (connecting, warming a client)
 * @param execution the share for the call itself
 */
public record TimeBudget(Duration initialization, Duration execution) {

    /** The default share for initialisation. */
    public static final double DEFAULT_INITIALIZATION_SHARE = 0.3;

    /** Validates both parts. */
    public TimeBudget {
        Objects.requireNonNull(initialization, "initialization");
        Objects.requireNonNull(execution, "execution");
    }

    /** The default split: 30 % initialisation, 70 % execution. */
    public static TimeBudget split(Duration total) {
        return split(total, DEFAULT_INITIALIZATION_SHARE);
    }

    /**
     * {@code initializationShare} of {@code total} for initialisation, the rest for execution; the parts
     * always add up to {@code total}.
     *
     * @throws ConfigException if the share is outside [0, 1] or the total is negative
     */
    public static TimeBudget split(Duration total, double initializationShare) {
        if (total == null || total.isNegative()) {
            throw new ConfigException("time budget", "total", total, "a duration >= 0");
        }
        if (!(initializationShare >= 0 && initializationShare <= 1)) {
            throw new ConfigException("time budget", "initializationShare", initializationShare, "in [0.0, 1.0]");
        }
        long initialization = Math.round(total.toNanos() * initializationShare);
        return new TimeBudget(Duration.ofNanos(initialization), total.minusNanos(initialization));
    }

    /** Both parts together. */
    public Duration total() {
        return initialization.plus(execution);
    }
}
