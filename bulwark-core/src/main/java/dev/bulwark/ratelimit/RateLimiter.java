package dev.bulwark.ratelimit;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: {@code permitsPerSecond} on average, up to {@code burst} at once after a quiet spell.
 * A call that finds no token waits up to {@code maxWait} for one (default: not at all) and is otherwise
 * refused with a {@link RateLimitedException}; asynchronous calls wait on the scheduler, not on a thread.
 *
 * <p>The bucket is one atomic number (the time the bucket is next empty, as in the generic cell rate
 * algorithm): taking a token is one clock read and one compare-and-set. This interface's implementation
 * is thread-safe.
 */
public interface RateLimiter extends Policy, EventSource<RateLimiterEvent> {

    /** A builder for a limiter called {@code name} allowing {@code permitsPerSecond}. */
    static Builder builder(String name, double permitsPerSecond) {
        return new Builder(name, permitsPerSecond);
    }

    /** Takes one token if there is one now. */
    boolean tryAcquire();

    /** Takes {@code permits} tokens if they are there now. */
    boolean tryAcquire(int permits);

    /** Calls let through so far. */
    long permittedCalls();

    /** Calls refused so far. */
    long rejectedCalls();

    @Override
    default Class<? extends Component> kind() {
        return RateLimiter.class;
    }

    /** Builds a {@link RateLimiter}. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private final double permitsPerSecond;
        private int burst;
        private Duration maxWait = Duration.ZERO;

        private Builder(String name, double permitsPerSecond) {
            this.name = name;
            this.permitsPerSecond = permitsPerSecond;
            this.burst = (int) Math.max(1, Math.ceil(permitsPerSecond));
        }

        /** Tokens the bucket holds (default: one second's worth). */
        public Builder burst(int burst) {
            this.burst = burst;
            return this;
        }

        /** How long a call may wait for a token (default zero). */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        /** The limiter. @throws dev.bulwark.ConfigException for an invalid setting */
        public RateLimiter build() {
            String who = "rate limiter '" + Checks.name("rate limiter", name) + "'";
            Checks.aboveAndAtMost(who, "permitsPerSecond", permitsPerSecond, 0, 1e9);
            Checks.between(who, "burst", burst, 1, 1_000_000_000);
            Checks.notNegative(who, "maxWait", maxWait);
            return new TokenBucket(name, permitsPerSecond, burst, maxWait, configuredClock(), configuredScheduler());
        }
    }
}
