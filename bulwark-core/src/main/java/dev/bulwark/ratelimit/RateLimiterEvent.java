package dev.bulwark.ratelimit;

/** What a rate limiter reports. */
public sealed interface RateLimiterEvent {

    /** The limiter's name. */
    String name();

    /** A call was refused; a token would have come after {@code waitNanos}. */
    record Rejected(String name, long waitNanos) implements RateLimiterEvent {
    }

    /** A call waited {@code waitNanos} for its token. */
    record Waited(String name, long waitNanos) implements RateLimiterEvent {
    }
}
