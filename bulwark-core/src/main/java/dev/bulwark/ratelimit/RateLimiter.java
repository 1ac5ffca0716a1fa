package dev.bulwark.ratelimit;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;

/**
 * A token bucket: {@code permitsPerSecond} on average, up to {@code burst} at once after a quiet spell.
 * A call that finds no token waits up to {@code maxWait} for one (default: not at all) and is otherwise
 * refused with a {@link RateLimitedException}; asynchronous calls wait on the scheduler, not on a thread.
 *
 * <p>The bucket is one atomic number (the time the bucket is next empty, as in the generic cell rate algorithm):
 * taking a token is one clock read and one compare-and-set. A fast bucket (32 tokens a millisecond and a burst of
 * 32 or more for each stripe of threads, the stripes being twice the processors rounded up to a power of two, at
 * most 64: e.g. 128,000/s on two processors) that callers contend for hands tokens out in short per-thread leases
 * instead, so that threads do not fight over that number on every call: a lease is reserved by the same rule and
 * used only within the clock's reading it was reserved at, so the limiter still never admits more than its rate; a
 * thread that stops calling mid-lease may leave up to a sixteenth of a millisecond's tokens unused for that
 * millisecond. This interface's implementation is thread-safe.
 */
public interface RateLimiter extends Policy, EventSource<RateLimiter.Event> {

    /** A builder for a limiter called {@code name} allowing {@code permitsPerSecond}. */
    static RateLimiterConfig.Builder builder(String name, double permitsPerSecond) {
        return RateLimiterConfig.builder(name).permitsPerSecond(permitsPerSecond);
    }

    /** A builder for a limiter called {@code name}; its {@code permitsPerSecond} must be given. */
    static RateLimiterConfig.Builder builder(String name) {
        return RateLimiterConfig.builder(name);
    }

    /** A limiter with the given config. */
    static RateLimiter of(RateLimiterConfig config) {
        return new TokenBucket(config);
    }

    /** This limiter's settings. */
    RateLimiterConfig config();

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

    /** What a rate limiter reports. */
    sealed interface Event {

        /** The limiter's name. */
        String name();

        /** A call was refused; a token would have come after {@code waitNanos}. */
        record Rejected(String name, long waitNanos) implements Event {
        }

        /** A call waited {@code waitNanos} for its token. */
        record Waited(String name, long waitNanos) implements Event {
        }
    }
}
