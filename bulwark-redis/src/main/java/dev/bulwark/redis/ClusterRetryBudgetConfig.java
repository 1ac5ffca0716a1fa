package dev.bulwark.redis;

import dev.bulwark.ConfigException;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable settings of a {@link ClusterRetryBudget}: retries across every instance using the same {@code key}
 * limited to {@code ratio} of the cluster's calls in a fixed window plus {@code minRetriesPerSecond}.
 *
 * @param name the budget's name, non-blank
 * @param key the Redis key of the shared counts (default {@code bulwark:retry-budget:<name>})
 * @param ratio retries allowed per call, in (0, 1] (default 0.2)
 * @param minRetriesPerSecond retries allowed on top of the ratio, so a quiet cluster can retry at all, in [0, 1e6]
 *     (default 10)
 * @param window the fixed window the counts cover, in [100 ms, 1 h] (default 10 s)
 * @param flushInterval how often an instance sends its counts and learns the cluster's, in [1 ms, 1 min] (default
 *     100 ms)
 * @param expectedInstances how many instances share the budget, in [1, 100,000] (default 1): each instance may spend
 *     this share of what is left until its next flush
 * @param redisTime whether windows follow Redis's clock (default true) or each instance's {@code clock}
 * @param clock the time source
 * @param scheduler what runs the flush
 */
public record ClusterRetryBudgetConfig(String name, String key, double ratio, double minRetriesPerSecond,
                                       Duration window, Duration flushInterval, int expectedInstances,
                                       boolean redisTime, Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws ConfigException naming the field, value and range */
    public ClusterRetryBudgetConfig {
        String who = "cluster retry budget '" + Settings.name("cluster retry budget", name) + "'";
        if (key == null || key.isBlank()) {
            throw new ConfigException(who, "key", key == null ? "null" : "'" + key + "'", "non-blank");
        }
        Settings.aboveAndAtMost(who, "ratio", ratio, 0, 1);
        if (!(minRetriesPerSecond >= 0 && minRetriesPerSecond <= 1e6)) {
            throw new ConfigException(who, "minRetriesPerSecond", minRetriesPerSecond, "in [0.0, 1000000.0]");
        }
        Settings.between(who, "window", window, Duration.ofMillis(100), Duration.ofHours(1));
        Settings.between(who, "flushInterval", flushInterval, Duration.ofMillis(1), Duration.ofMinutes(1));
        Settings.between(who, "expectedInstances", expectedInstances, 1, 100_000);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(name);
        builder.key = key;
        builder.ratio = ratio;
        builder.minRetriesPerSecond = minRetriesPerSecond;
        builder.window = window;
        builder.flushInterval = flushInterval;
        builder.expectedInstances = expectedInstances;
        builder.redisTime = redisTime;
        builder.clock = clock;
        builder.scheduler = scheduler;
        return builder;
    }

    /** Builds a {@link ClusterRetryBudgetConfig} or a {@link ClusterRetryBudget}. Each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final Settings given;
        private final String name;
        private String key;
        private double ratio = 0.2;
        private double minRetriesPerSecond = 10;
        private Duration window = Duration.ofSeconds(10);
        private Duration flushInterval = Duration.ofMillis(100);
        private int expectedInstances = 1;
        private boolean redisTime = true;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder(String name) {
            this.name = name;
            this.key = "bulwark:retry-budget:" + name;
            this.given = new Settings("cluster retry budget '" + name + "'");
        }

        /** The Redis key (default {@code bulwark:retry-budget:<name>}). */
        public Builder key(String key) {
            given.mark("key");
            this.key = key;
            return this;
        }

        /** Retries per call (default 0.2). */
        public Builder ratio(double ratio) {
            given.mark("ratio");
            this.ratio = ratio;
            return this;
        }

        /** Retries per second on top of the ratio (default 10). */
        public Builder minRetriesPerSecond(double retries) {
            given.mark("minRetriesPerSecond");
            this.minRetriesPerSecond = retries;
            return this;
        }

        /** The counting window (default 10 s). */
        public Builder window(Duration window) {
            given.mark("window");
            this.window = window;
            return this;
        }

        /** How often counts are exchanged with Redis (default 100 ms). */
        public Builder flushInterval(Duration interval) {
            given.mark("flushInterval");
            this.flushInterval = interval;
            return this;
        }

        /** Instances sharing the budget (default 1). */
        public Builder expectedInstances(int instances) {
            given.mark("expectedInstances");
            this.expectedInstances = instances;
            return this;
        }

        /** Whether windows follow Redis's clock (default true) or this instance's. */
        public Builder redisTime(boolean redisTime) {
            given.mark("redisTime");
            this.redisTime = redisTime;
            return this;
        }

        /** The clock and scheduler of the flush (a {@code ManualClock} in tests). */
        public <C extends Clock & Scheduler> Builder clockAndScheduler(C clockAndScheduler) {
            given.mark("clock");
            this.clock = clockAndScheduler;
            this.scheduler = clockAndScheduler;
            return this;
        }

        /** The settings. @throws ConfigException for an invalid setting */
        public ClusterRetryBudgetConfig buildConfig() {
            return new ClusterRetryBudgetConfig(name, key, ratio, minRetriesPerSecond, window, flushInterval,
                    expectedInstances, redisTime, clock, scheduler);
        }

        /** The budget on {@code link}; it starts flushing at once. @throws ConfigException for an invalid setting */
        public ClusterRetryBudget build(RedisLink link) {
            return ClusterRetryBudget.start(buildConfig(), link);
        }
    }
}
