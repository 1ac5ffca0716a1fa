package dev.bulwark.redis;

import dev.bulwark.ConfigException;
import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link RedisStreamDeferredQueue}.
 *
 * @param name the queue's name, in messages, non-blank
 * @param key the stream's Redis key (default {@code bulwark:queue:{<name>}}, the braces a Redis Cluster hash tag that keeps
 *     the stream and its ticket counter {@code <key>:seq} in one slot); every instance of the cluster uses the same
 * @param group the consumer group the instances read in (default {@code bulwark})
 * @param consumer this instance's consumer name in the group, unique per instance (default {@code <name>-<random>})
 * @param capacity items the stream holds at most (waiting or being processed), in [1, 100,000,000] (default 10,000);
 *     an offer beyond it fails with {@link dev.bulwark.queue.QueueFullException}
 * @param claimIdle how long an item may sit with a consumer that does not acknowledge it before another instance takes
 *     it over (the first consumer is presumed dead), in [0, 1 day] (default 30 s)
 * @param spillCapacity items kept in this instance's memory while Redis is unreachable, in [1, 100,000,000] (default
 *     the capacity); they move to the stream on resynchronisation
 * @param resyncInterval how often a DEGRADED queue retries Redis and moves spilled items, in [1 ms, 1 h] (default 1 s)
 * @param codec how items become bytes (required)
 * @param clock the time source of the health state
 * @param scheduler what runs the resynchronisation tick
 * @param <T> the item type
 */
public record RedisQueueConfig<T>(String name, String key, String group, String consumer, int capacity,
                                  Duration claimIdle, int spillCapacity, Duration resyncInterval,
                                  DeferredQueue.Codec<T> codec, Clock clock, Scheduler scheduler) {

    /** Validates every field. @throws ConfigException naming the field, value and range */
    public RedisQueueConfig {
        String who = "redis queue '" + Settings.name("redis queue", name) + "'";
        nonBlank(who, "key", key);
        nonBlank(who, "group", group);
        nonBlank(who, "consumer", consumer);
        Settings.between(who, "capacity", capacity, 1, 100_000_000);
        Settings.between(who, "claimIdle", claimIdle, Duration.ZERO, Duration.ofDays(1));
        Settings.between(who, "spillCapacity", spillCapacity, 1, 100_000_000);
        Settings.between(who, "resyncInterval", resyncInterval, Duration.ofMillis(1), Duration.ofHours(1));
        if (codec == null) {
            throw new ConfigException(who, "codec", "none", "required");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    private static void nonBlank(String who, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(who, field, value == null ? "null" : "'" + value + "'", "non-blank");
        }
    }

    /** A builder for a queue called {@code name} whose items {@code codec} writes. */
    public static <T> Builder<T> builder(String name, DeferredQueue.Codec<T> codec) {
        return new Builder<>(name, codec);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder<T> toBuilder() {
        Builder<T> builder = new Builder<>(name, codec);
        builder.key = key;
        builder.group = group;
        builder.consumer = consumer;
        builder.capacity = capacity;
        builder.claimIdle = claimIdle;
        builder.spillCapacity = spillCapacity == capacity ? null : spillCapacity;
        builder.resyncInterval = resyncInterval;
        builder.clock = clock;
        builder.scheduler = scheduler;
        return builder;
    }

    /** Builds a {@link RedisQueueConfig} or a {@link RedisStreamDeferredQueue}. Each setting may be given once. Not thread-safe. */
    public static final class Builder<T> {
        private final Settings given;
        private final String name;
        private final DeferredQueue.Codec<T> codec;
        private String key;
        private String group = "bulwark";
        private String consumer;
        private int capacity = 10_000;
        private Duration claimIdle = Duration.ofSeconds(30);
        private @Nullable Integer spillCapacity;
        private Duration resyncInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder(String name, DeferredQueue.Codec<T> codec) {
            this.name = name;
            this.codec = codec;
            this.key = "bulwark:queue:{" + name + "}";
            this.consumer = name + "-" + UUID.randomUUID();
            this.given = new Settings("redis queue '" + name + "'");
        }

        /** The stream's key (default {@code bulwark:queue:{<name>}}). */
        public Builder<T> key(String key) {
            given.mark("key");
            this.key = key;
            return this;
        }

        /** The consumer group (default {@code bulwark}). */
        public Builder<T> group(String group) {
            given.mark("group");
            this.group = group;
            return this;
        }

        /** This instance's consumer name (default {@code <name>-<random>}). */
        public Builder<T> consumer(String consumer) {
            given.mark("consumer");
            this.consumer = consumer;
            return this;
        }

        /** Items held at most (default 10,000). */
        public Builder<T> capacity(int capacity) {
            given.mark("capacity");
            this.capacity = capacity;
            return this;
        }

        /** Idle time after which another instance takes an unacknowledged item over (default 30 s). */
        public Builder<T> claimIdle(Duration claimIdle) {
            given.mark("claimIdle");
            this.claimIdle = claimIdle;
            return this;
        }

        /** Items kept locally while Redis is unreachable (default the capacity). */
        public Builder<T> spillCapacity(int spillCapacity) {
            given.mark("spillCapacity");
            this.spillCapacity = spillCapacity;
            return this;
        }

        /** How often a DEGRADED queue retries Redis (default 1 s). */
        public Builder<T> resyncInterval(Duration interval) {
            given.mark("resyncInterval");
            this.resyncInterval = interval;
            return this;
        }

        /** The clock and scheduler of the resynchronisation tick (a {@code ManualClock} in tests). */
        public <C extends Clock & Scheduler> Builder<T> clockAndScheduler(C clockAndScheduler) {
            given.mark("clock");
            this.clock = clockAndScheduler;
            this.scheduler = clockAndScheduler;
            return this;
        }

        /** The settings. @throws ConfigException for an invalid setting */
        public RedisQueueConfig<T> buildConfig() {
            Integer givenSpill = spillCapacity;
            return new RedisQueueConfig<>(name, key, group, consumer, capacity, claimIdle,
                    givenSpill != null ? givenSpill : capacity, resyncInterval, codec, clock, scheduler);
        }

        /** The queue on {@code link}. @throws ConfigException for an invalid setting */
        public RedisStreamDeferredQueue<T> build(RedisLink link) {
            return RedisStreamDeferredQueue.open(buildConfig(), link);
        }
    }
}
