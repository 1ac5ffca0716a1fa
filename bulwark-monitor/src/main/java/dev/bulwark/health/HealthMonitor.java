package dev.bulwark.health;

import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs health checks on a schedule and keeps the system's health: each check's latest result and bounded
 * history, and an aggregate status (UNHEALTHY if a critical check is unhealthy, DEGRADED if any check is
 * not healthy, else HEALTHY). The alert callback and the events fire on status changes only.
 *
 * <pre>{@code
 * HealthMonitor monitor = HealthMonitor.builder("app").alert(result -> pager.send(result)).build();
 * monitor.register(HealthCheck.of("database", () -> db.active() < db.max() * 0.8).asCritical());
 * monitor.register(HealthChecks.heap());
 * monitor.start();
 * }</pre>
 *
 * <p>{@link #stop()} shuts down in two phases: running checks get a grace period to finish, then
 * are cancelled; no scheduled task is left behind. This interface's implementation is thread-safe.
 */
public interface HealthMonitor extends Component, EventSource<HealthEvent> {

    /** A builder for a monitor called {@code name}. */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Adds a check; if the monitor is running, the check starts running too.
     *
     * @throws IllegalArgumentException if a check of that name is registered already
     */
    void register(HealthCheck check);

    /** Removes a check; returns whether it was there. */
    boolean unregister(String check);

    /** Starts running every check at its interval (the first run is due at once). Starting twice does nothing. */
    void start();

    /**
     * Stops: no further runs are scheduled; running checks get the grace period to finish, then are cancelled.
     * The stage completes once nothing is left running.
     */
    CompletionStage<HealthEvent.Stopped> stop();

    /**
     * Runs one check now, outside its schedule.
     *
     * @throws java.util.NoSuchElementException if no such check is registered
     */
    CompletionStage<CheckResult> runNow(String check);

    /** Runs every check now and reports. */
    CompletionStage<HealthReport> runAllNow();

    /** The aggregate status from the latest results (HEALTHY before any check has run). */
    HealthStatus status();

    /** One check's latest result. */
    Optional<CheckResult> latest(String check);

    /** One check's recent results, oldest first, at most {@code historySize}. */
    List<CheckResult> history(String check);

    /** The aggregate and every check's latest result. */
    HealthReport report();

    @Override
    default Class<? extends Component> kind() {
        return HealthMonitor.class;
    }

    /** Builds a {@link HealthMonitor}. Each setting may be given once; a second call fails naming it. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        final String name;
        int historySize = 100;
        Duration gracePeriod = Duration.ofSeconds(5);
        @Nullable Consumer<CheckResult> alert;
        @Nullable Executor executor;

        private Builder(String name) {
            this.name = name;
        }

        @Override
        protected String component() {
            return "health monitor '" + name + "'";
        }

        /** Results kept per check (default 100; YAML {@code history_size}). */
        public Builder historySize(int size) {
            given("historySize");
            this.historySize = size;
            return this;
        }

        /** How long {@link #stop()} lets running checks finish before cancelling them (default 5 s). */
        public Builder gracePeriod(Duration period) {
            given("gracePeriod");
            this.gracePeriod = period;
            return this;
        }

        /** Called with the result that changed a check's status. */
        public Builder alert(Consumer<CheckResult> alert) {
            given("alert");
            this.alert = Objects.requireNonNull(alert, "alert");
            return this;
        }

        /** Where blocking checks run (default: a cached pool of daemon threads owned by the monitor). */
        public Builder executor(Executor executor) {
            given("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The monitor. @throws dev.bulwark.ConfigException for an invalid setting */
        public HealthMonitor build() {
            String who = "health monitor '" + Checks.name("health monitor", name) + "'";
            Checks.between(who, "historySize", historySize, 1, 100_000);
            Checks.notNegative(who, "gracePeriod", gracePeriod);
            return new DefaultHealthMonitor(this);
        }
    }
}
