package dev.bulwark.health;

import dev.bulwark.TimedBuilder;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * monitor.register(HealthCheck.heap());
 * monitor.start();
 * }</pre>
 *
 * <p>{@link #stop()} shuts down in two phases: running checks get a grace period to finish, then
 * are cancelled; no scheduled task is left behind. This interface's implementation is thread-safe.
 */
public interface HealthMonitor extends Component, EventSource<HealthMonitor.Event> {

    /** A builder for a monitor called {@code name}. */
    static Config.Builder builder(String name) {
        return new Config.Builder(name);
    }

    /** The monitor {@code config} describes, not started yet. */
    static HealthMonitor of(Config config) {
        return new DefaultHealthMonitor(Objects.requireNonNull(config, "config"));
    }

    /** This monitor's settings. */
    Config config();

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
    CompletionStage<Event.Stopped> stop();

    /**
     * Runs one check now, outside its schedule.
     *
     * @throws java.util.NoSuchElementException if no such check is registered
     */
    CompletionStage<HealthCheck.Result> runNow(String check);

    /** Runs every check now and reports. */
    CompletionStage<Report> runAllNow();

    /** The aggregate status from the latest results (HEALTHY before any check has run). */
    HealthStatus status();

    /** One check's latest result. */
    Optional<HealthCheck.Result> latest(String check);

    /** One check's recent results, oldest first, at most {@code historySize}. */
    List<HealthCheck.Result> history(String check);

    /** The aggregate and every check's latest result. */
    Report report();

    @Override
    default Class<? extends Component> kind() {
        return HealthMonitor.class;
    }

    /**
     * The immutable settings of a health monitor. Defaults: checks run every 30 s unless given their own interval, 100
     * results kept per check, a 5 s grace period on
     * {@link #stop()}, no alert callback, blocking checks on a cached pool of daemon threads owned by the monitor,
     * {@link Clock#system()} and {@link Scheduler#system()}.
     *
     * @param name the monitor's name
     * @param checkInterval how often a check runs unless it has an interval of its own
     *        ({@link HealthCheck#withInterval}), positive (YAML {@code check_interval})
     * @param historySize results kept per check, in [1, 100,000] (YAML {@code history_size})
     * @param gracePeriod how long {@link #stop()} lets running checks finish before cancelling them, not negative
     * @param alert called with the result that changed a check's status, or null for none
     * @param executor where blocking checks run, or null for a pool owned by the monitor
     * @param clock the time source
     * @param scheduler what the checks' runs are scheduled on
     */
    record Config(String name, Duration checkInterval, int historySize, Duration gracePeriod, @Nullable Consumer<HealthCheck.Result> alert,
                  @Nullable Executor executor, Clock clock, Scheduler scheduler) {

        /** Validates every field. */
        public Config {
            String who = "health monitor '" + Checks.name("health monitor", name) + "'";
            Checks.positive(who, "checkInterval", checkInterval);
            Checks.between(who, "historySize", historySize, 1, 100_000);
            Checks.notNegative(who, "gracePeriod", gracePeriod);
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder toBuilder() {
            Builder builder = new Builder(this);
            builder.checkInterval = checkInterval;
            builder.historySize = historySize;
            builder.gracePeriod = gracePeriod;
            builder.alert = alert;
            builder.executor = executor;
            return builder;
        }

        /**
         * Builds a {@link Config} or a {@link HealthMonitor}. Each setting may be given once; a second call fails
         * naming it. Not thread-safe.
         */
        public static final class Builder extends TimedBuilder<Builder> {
            private final String name;
            private Duration checkInterval = Duration.ofSeconds(30);
            private int historySize = 100;
            private Duration gracePeriod = Duration.ofSeconds(5);
            private @Nullable Consumer<HealthCheck.Result> alert;
            private @Nullable Executor executor;

            private Builder(String name) {
                this.name = name;
            }

            private Builder(Config config) {
                this(config.name());
                startFrom(config.clock(), config.scheduler());
            }

            @Override
            protected String component() {
                return "health monitor '" + name + "'";
            }

            /**
             * How often a check runs unless it has an interval of its own (default 30 s; YAML
             * {@code check_interval}).
             */
            public Builder checkInterval(Duration interval) {
                given("checkInterval");
                this.checkInterval = interval;
                return this;
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
            public Builder alert(Consumer<HealthCheck.Result> alert) {
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

            /** The settings. @throws dev.bulwark.ConfigException for an invalid setting */
            public Config buildConfig() {
                return new Config(name, checkInterval, historySize, gracePeriod, alert, executor, configuredClock(),
                        configuredScheduler());
            }

            /** The monitor, not started yet. @throws dev.bulwark.ConfigException for an invalid setting */
            public HealthMonitor build() {
                return HealthMonitor.of(buildConfig());
            }
        }
    }

    /**
     * The system's health now: the aggregate and each check's latest result (checks that have not run yet are
     * absent from {@code checks}).
     *
     * @param status the aggregate: UNHEALTHY if a critical check is unhealthy, DEGRADED if any check is not healthy
     * @param checks each check's latest result, by name
     */
    public record Report(HealthStatus status, Map<String, HealthCheck.Result> checks) {
        /** Copies the map. */
        public Report {
            checks = Map.copyOf(checks);
        }
    }

    /** What a health monitor reports: changes, never every run. */
    sealed interface Event {

        /** The monitor's name. */
        String name();

        /** One check's status changed; {@code result} is the run that changed it. */
        record CheckChanged(String name, HealthStatus from, HealthStatus to, HealthCheck.Result result) implements Event {
        }

        /** The aggregate status changed. */
        record AggregateChanged(String name, HealthStatus from, HealthStatus to) implements Event {
        }

        /** The monitor stopped: checks that ended on their own during the grace period, and those cancelled after it. */
        record Stopped(String name, int finishedGracefully, int cancelled) implements Event {
        }
    }
}
