package dev.bulwark.redis;

import dev.bulwark.ConfigException;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link ClusterRateLimiter}: a limit shared by every instance using the same
 * {@code key} on one Redis, handed out to each instance in small leases.
 *
 * @param name the limiter's name, non-blank
 * @param shape a token bucket refilling {@code limit} tokens per {@code window}, or a quota of {@code limit} per fixed
 *     window (default: {@link Shape#TOKEN_BUCKET})
 * @param key the Redis key holding the shared state (default {@code bulwark:limit:<name>}); instances sharing a limit
 *     use the same key, one key per team or tenant for a quota per key
 * @param limit tokens per window, in [1, 1e12] (required)
 * @param window the window, in [1 ms, 400 days] (default one second)
 * @param burst for a token bucket, the tokens it holds at most, in [1, 1e12] (default {@code limit}); not used by a
 *     quota
 * @param lease tokens an instance takes from Redis at a time, in [1, 1e9] (default 10): the hot path spends them
 *     locally; it is also the over-grant bound per instance
 * @param lowWater the lease's level under which the next lease is fetched in the background, in [0, lease) (default
 *     half the lease)
 * @param refreshInterval how often the background tick tops the lease up and, while DEGRADED, retries Redis, in
 *     [1 ms, 1 h] (default 100 ms)
 * @param expectedInstances how many instances share the limit, in [1, 100,000] (default 1): only sizes the fallback
 * @param fallbackLimit tokens per window this instance grants on its own while Redis is unreachable, in [1, 1e12]
 *     (default {@code limit / expectedInstances}, rounded up)
 * @param redisTime whether the shared bucket and windows follow Redis's clock (default true: instances' clock skew
 *     does not matter) or each instance's {@code clock} (for tests on a manual clock, or clocks known to agree)
 * @param clock the time source
 * @param scheduler what runs the background tick
 */
public record ClusterLimitConfig(String name, Shape shape, String key, long limit, Duration window, long burst,
                                 long lease, long lowWater, Duration refreshInterval, int expectedInstances,
                                 long fallbackLimit, boolean redisTime, Clock clock,
                                 Scheduler scheduler) {

    private static final long MAX_TOKENS = 1_000_000_000_000L;

    /** What the shared limit is. */
    public enum Shape {
        /** {@code limit} tokens per {@code window} refilled continuously, up to {@code burst} at once. */
        TOKEN_BUCKET,
        /** {@code limit} tokens per fixed window (aligned to Redis's clock), such as a team's quota per day. */
        WINDOW_QUOTA
    }

    /** Validates every field. @throws ConfigException naming the field, value and range */
    public ClusterLimitConfig {
        String who = "cluster limit '" + Settings.name("cluster limit", name) + "'";
        Objects.requireNonNull(shape, "shape");
        if (key == null || key.isBlank()) {
            throw new ConfigException(who, "key", key == null ? "null" : "'" + key + "'", "non-blank");
        }
        Settings.between(who, "limit", limit, 1, MAX_TOKENS);
        Settings.between(who, "window", window, Duration.ofMillis(1), Duration.ofDays(400));
        Settings.between(who, "burst", burst, 1, MAX_TOKENS);
        Settings.between(who, "lease", lease, 1, 1_000_000_000L);
        Settings.between(who, "lowWater", lowWater, 0, lease - 1);
        Settings.between(who, "refreshInterval", refreshInterval, Duration.ofMillis(1), Duration.ofHours(1));
        Settings.between(who, "expectedInstances", expectedInstances, 1, 100_000);
        Settings.between(who, "fallbackLimit", fallbackLimit, 1, MAX_TOKENS);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder for a limiter called {@code name}; {@code limit} must be given. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(name);
        builder.shape = shape;
        builder.key = key;
        builder.limit = limit;
        builder.window = window;
        builder.burst = burst == limit ? null : burst;
        builder.lease = lease;
        builder.lowWater = lowWater == lease / 2 ? null : lowWater;
        builder.refreshInterval = refreshInterval;
        builder.expectedInstances = expectedInstances;
        builder.fallbackLimit = fallbackLimit == defaultFallback(limit, expectedInstances) ? null : fallbackLimit;
        builder.redisTime = redisTime;
        builder.clock = clock;
        builder.scheduler = scheduler;
        return builder;
    }

    static long defaultFallback(long limit, int instances) {
        return Math.max(1, (limit + instances - 1) / instances);
    }

    /** Builds a {@link ClusterLimitConfig} or a {@link ClusterRateLimiter}. Each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final Settings given;
        private final String name;
        private Shape shape = Shape.TOKEN_BUCKET;
        private String key;
        private @Nullable Long limit;
        private Duration window = Duration.ofSeconds(1);
        private @Nullable Long burst;
        private long lease = 10;
        private @Nullable Long lowWater;
        private Duration refreshInterval = Duration.ofMillis(100);
        private int expectedInstances = 1;
        private @Nullable Long fallbackLimit;
        private boolean redisTime = true;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder(String name) {
            this.name = name;
            this.key = "bulwark:limit:" + name;
            this.given = new Settings("cluster limit '" + name + "'");
        }

        /** A token bucket (the default) or a fixed-window quota. */
        public Builder shape(Shape shape) {
            given.mark("shape");
            this.shape = Objects.requireNonNull(shape, "shape");
            return this;
        }

        /** The Redis key of the shared state (default {@code bulwark:limit:<name>}). */
        public Builder key(String key) {
            given.mark("key");
            this.key = key;
            return this;
        }

        /** Tokens per window, shared by the cluster (required). */
        public Builder limit(long limit) {
            given.mark("limit");
            this.limit = limit;
            return this;
        }

        /** The window (default one second). */
        public Builder window(Duration window) {
            given.mark("window");
            this.window = window;
            return this;
        }

        /** A token bucket's capacity (default the limit). */
        public Builder burst(long burst) {
            given.mark("burst");
            this.burst = burst;
            return this;
        }

        /** Tokens taken from Redis at a time (default 10). */
        public Builder lease(long lease) {
            given.mark("lease");
            this.lease = lease;
            return this;
        }

        /** The lease level that triggers the next fetch (default half the lease). */
        public Builder lowWater(long lowWater) {
            given.mark("lowWater");
            this.lowWater = lowWater;
            return this;
        }

        /** How often the background tick runs (default 100 ms). */
        public Builder refreshInterval(Duration interval) {
            given.mark("refreshInterval");
            this.refreshInterval = interval;
            return this;
        }

        /** Instances sharing the limit, which sizes the default fallback (default 1). */
        public Builder expectedInstances(int instances) {
            given.mark("expectedInstances");
            this.expectedInstances = instances;
            return this;
        }

        /** Tokens per window granted locally while Redis is unreachable (default limit / expectedInstances). */
        public Builder fallbackLimit(long tokens) {
            given.mark("fallbackLimit");
            this.fallbackLimit = tokens;
            return this;
        }

        /** Whether the shared state follows Redis's clock (default true) or this instance's {@code clock}. */
        public Builder redisTime(boolean redisTime) {
            given.mark("redisTime");
            this.redisTime = redisTime;
            return this;
        }

        /** The clock and scheduler of the background tick (a {@code ManualClock} in tests). */
        public <C extends Clock & Scheduler> Builder clockAndScheduler(C clockAndScheduler) {
            given.mark("clock");
            this.clock = clockAndScheduler;
            this.scheduler = clockAndScheduler;
            return this;
        }

        /** The settings. @throws ConfigException for an invalid or missing setting */
        public ClusterLimitConfig buildConfig() {
            Long givenLimit = limit;
            if (givenLimit == null) {
                throw new ConfigException("cluster limit '" + name + "'", "limit", "not given", "required");
            }
            Long givenLow = lowWater;
            Long givenFallback = fallbackLimit;
            Long givenBurst = burst;
            long low = givenLow != null ? givenLow : lease / 2;
            long fallback = givenFallback != null ? givenFallback
                    : defaultFallback(givenLimit, Math.max(1, expectedInstances));
            return new ClusterLimitConfig(name, shape, key, givenLimit, window,
                    givenBurst != null ? givenBurst : givenLimit, lease, low,
                    refreshInterval, expectedInstances, fallback, redisTime, clock, scheduler);
        }

        /**
         * The limiter, using {@code link}; it starts fetching its first lease at once.
         *
         * @throws ConfigException for an invalid or missing setting
         */
        public ClusterRateLimiter build(RedisLink link) {
            return ClusterRateLimiter.start(buildConfig(), link);
        }
    }
}
