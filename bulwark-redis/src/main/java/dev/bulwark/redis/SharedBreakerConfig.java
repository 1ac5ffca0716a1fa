package dev.bulwark.redis;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How {@link SharedCircuitBreakers} shares breaker verdicts and outcome counts through Redis. Immutable; build with
 * {@link #builder()}, derive with {@link #toBuilder()}.
 *
 * @param keyPrefix prefix of every Redis key and channel, default {@code bulwark}; instances that share breakers must
 *     use the same one (letters, digits, {@code . _ - :}, 1 to 64 characters)
 * @param instanceId this instance's name in votes and probe permits, default a random UUID (no whitespace)
 * @param verdictPolicy when peers adopt an instance's OPEN verdict, default {@link VerdictPolicy#anyInstance()}
 * @param syncInterval how often local outcomes and transitions are pushed (and the cluster failure rate judged),
 *     default 100 ms, in [10 ms, 10 s]; a peer's OPEN reaches this instance within this interval plus one Redis round
 *     trip
 * @param commandTimeout how long one Redis exchange may take before it counts as failed, default 250 ms, in
 *     [1 ms, 10 s]
 * @param heartbeatInterval how often an idle instance checks Redis (and announces itself), default 1 s, in
 *     [{@code syncInterval}, 60 s]
 * @param clusterWindow the window of the cluster-wide failure rate, default 10 s, in [1 s, 1 h] (whole seconds); the
 *     breaker's own {@code failureRateThreshold} and {@code minimumNumberOfCalls} apply to the cluster's sums
 * @param probeClaimLead how long before the end of an open period the instance claims a half-open probe permit,
 *     default 200 ms, in [1 ms, 10 s] (capped at half the open period)
 * @param clock the time source for open-until and bucket computations, default {@link Clock#system()}
 * @param scheduler runs the sync ticks and probe claims, default {@link Scheduler#system()}
 */
public record SharedBreakerConfig(String keyPrefix, String instanceId, VerdictPolicy verdictPolicy,
                                  Duration syncInterval, Duration commandTimeout, Duration heartbeatInterval,
                                  Duration clusterWindow, Duration probeClaimLead, Clock clock, Scheduler scheduler) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Checks every field; the message names the field, its value and the allowed range. */
    public SharedBreakerConfig {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(verdictPolicy, "verdictPolicy");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        if (!PREFIX.matcher(keyPrefix).matches()) {
            throw invalid("keyPrefix", "'" + keyPrefix + "'", "1 to 64 of letters, digits, . _ - :");
        }
        if (instanceId.isEmpty() || instanceId.length() > 128 || instanceId.chars().anyMatch(Character::isWhitespace)) {
            throw invalid("instanceId", "'" + instanceId + "'", "1 to 128 characters, no whitespace");
        }
        within("syncInterval", syncInterval, Duration.ofMillis(10), Duration.ofSeconds(10));
        within("commandTimeout", commandTimeout, Duration.ofMillis(1), Duration.ofSeconds(10));
        within("heartbeatInterval", heartbeatInterval, syncInterval, Duration.ofSeconds(60));
        within("clusterWindow", clusterWindow, Duration.ofSeconds(1), Duration.ofHours(1));
        if (clusterWindow.toMillis() % 1000 != 0) {
            throw invalid("clusterWindow", clusterWindow.toString(), "whole seconds");
        }
        within("probeClaimLead", probeClaimLead, Duration.ofMillis(1), Duration.ofSeconds(10));
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A config with every default. */
    public static SharedBreakerConfig defaults() {
        return builder().build();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.keyPrefix = keyPrefix;
        b.instanceId = instanceId;
        b.verdictPolicy = verdictPolicy;
        b.syncInterval = syncInterval;
        b.commandTimeout = commandTimeout;
        b.heartbeatInterval = heartbeatInterval;
        b.clusterWindow = clusterWindow;
        b.probeClaimLead = probeClaimLead;
        b.clock = clock;
        b.scheduler = scheduler;
        return b;
    }

    private static void within(String field, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(field, value.toString(), "[" + min + ", " + max + "]");
        }
    }

    private static IllegalArgumentException invalid(String field, String value, String range) {
        return new IllegalArgumentException("shared breakers: " + field + " must be " + range + ", was " + value);
    }

    /** Builds a {@link SharedBreakerConfig}; not thread-safe. */
    public static final class Builder {
        private String keyPrefix = "bulwark";
        private String instanceId = UUID.randomUUID().toString();
        private VerdictPolicy verdictPolicy = VerdictPolicy.anyInstance();
        private Duration syncInterval = Duration.ofMillis(100);
        private Duration commandTimeout = Duration.ofMillis(250);
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration clusterWindow = Duration.ofSeconds(10);
        private Duration probeClaimLead = Duration.ofMillis(200);
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder() {
        }

        /** See {@link SharedBreakerConfig#keyPrefix()}. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = prefix;
            return this;
        }

        /** See {@link SharedBreakerConfig#instanceId()}. */
        public Builder instanceId(String id) {
            this.instanceId = id;
            return this;
        }

        /** See {@link SharedBreakerConfig#verdictPolicy()}. */
        public Builder verdictPolicy(VerdictPolicy policy) {
            this.verdictPolicy = policy;
            return this;
        }

        /** See {@link SharedBreakerConfig#syncInterval()}. */
        public Builder syncInterval(Duration interval) {
            this.syncInterval = interval;
            return this;
        }

        /** See {@link SharedBreakerConfig#commandTimeout()}. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /** See {@link SharedBreakerConfig#heartbeatInterval()}. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /** See {@link SharedBreakerConfig#clusterWindow()}. */
        public Builder clusterWindow(Duration window) {
            this.clusterWindow = window;
            return this;
        }

        /** See {@link SharedBreakerConfig#probeClaimLead()}. */
        public Builder probeClaimLead(Duration lead) {
            this.probeClaimLead = lead;
            return this;
        }

        /** See {@link SharedBreakerConfig#clock()}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** See {@link SharedBreakerConfig#scheduler()}. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException naming the field, its value and the allowed range
         */
        public SharedBreakerConfig build() {
            return new SharedBreakerConfig(keyPrefix, instanceId, verdictPolicy, syncInterval, commandTimeout,
                    heartbeatInterval, clusterWindow, probeClaimLead, clock, scheduler);
        }
    }
}
