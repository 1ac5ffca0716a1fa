package dev.bulwark.health;

/** What a health monitor reports: changes, never every run. */
public sealed interface HealthEvent {

    /** The monitor's name. */
    String name();

    /** One check's status changed; {@code result} is the run that changed it. */
    record CheckChanged(String name, HealthStatus from, HealthStatus to, HealthCheck.Result result) implements HealthEvent {
    }

    /** The aggregate status changed. */
    record AggregateChanged(String name, HealthStatus from, HealthStatus to) implements HealthEvent {
    }

    /** The monitor stopped: checks that ended on their own during the grace period, and those cancelled after it. */
    record Stopped(String name, int finishedGracefully, int cancelled) implements HealthEvent {
    }
}
