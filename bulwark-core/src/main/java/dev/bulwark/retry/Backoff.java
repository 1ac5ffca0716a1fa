package dev.bulwark.retry;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before each retry. The default sequences: exponential 1, 2, 4, 8 s; linear 1, 2, 3, 4 s;
 * Fibonacci 1, 1, 2, 3, 5 s. Every backoff is capped and overflow-safe however many retries (the
 * exponent stops growing at 63).
 *
 * <p>Implementations must be thread-safe: one backoff serves every call of a retry.
 */
public interface Backoff {

    /**
     * The delay before retry number {@code retry} (1 for the first retry), in nanoseconds.
     *
     * @param previousDelayNanos the delay before the previous retry (0 before the first)
     * @param random the retry's source of randomness, seeded for reproducible jitter
     */
    long delayNanos(int retry, long previousDelayNanos, Random random);

    /** Told when an attempt succeeds; {@link #adaptive} learns from it. */
    default void onSuccess() {
    }

    /** Told when an attempt fails; {@link #adaptive} learns from it. */
    default void onFailure() {
    }

    /**
     * This backoff with an absolute jitter: each delay is moved by an amount drawn uniformly from
     * {@code [-jitter, +jitter]} with the retry's {@code random} (seed it for reproducible delays), and clamped at
     * zero. So {@code fixed(100 ms).withJitter(200 ms)} waits between 0 and 300 ms, and a capped backoff may exceed
     * its cap by up to {@code jitter}. Unlike the fraction jitter of {@link #exponential(Duration, double, Duration,
     * double)} the spread does not grow with the delay. A zero jitter returns this backoff unchanged.
     *
     * @throws dev.bulwark.ConfigException if {@code jitter} is negative
     */
    default Backoff withJitter(Duration jitter) {
        long jitterNanos = Backoffs.nanos("jitter", jitter);
        return jitterNanos == 0 ? this : new Backoffs.AbsoluteJitter(this, jitterNanos);
    }

    /** The same delay before every retry. */
    static Backoff fixed(Duration delay) {
        return new Backoffs.Fixed(Backoffs.nanos("delay", delay));
    }

    /** {@code initial}, then {@code initial + increment}, {@code initial + 2 * increment}, ... up to {@code max}. */
    static Backoff linear(Duration initial, Duration increment, Duration max) {
        return new Backoffs.Linear(Backoffs.nanos("initial", initial), Backoffs.nanos("increment", increment),
                Backoffs.nanos("max", max));
    }

    /** {@code initialDelay * multiplier^(retry - 1)} up to {@code maxDelay} (at least {@code initialDelay}): with base 1 s and multiplier 2, 1, 2, 4, 8 s. */
    static Backoff exponential(Duration initialDelay, double multiplier, Duration maxDelay) {
        return new Backoffs.Exponential(Backoffs.nanos("initialDelay", initialDelay), Backoffs.multiplier(multiplier),
                Backoffs.maxDelay(initialDelay, maxDelay), 0.0);
    }

    /**
     * Exponential with jitter: each delay is drawn uniformly from {@code [d * (1 - jitter), d * (1 + jitter)]},
     * still capped at {@code maxDelay}. Jitter spreads retries of many clients apart.
     */
    static Backoff exponential(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {
        return new Backoffs.Exponential(Backoffs.nanos("initialDelay", initialDelay), Backoffs.multiplier(multiplier),
                Backoffs.maxDelay(initialDelay, maxDelay), Backoffs.jitter(jitter));
    }

    /** Fibonacci multiples of {@code initialDelay}: 1, 1, 2, 3, 5, 8 ... times it, up to {@code maxDelay} (at least {@code initialDelay}). */
    static Backoff fibonacci(Duration initialDelay, Duration maxDelay) {
        return new Backoffs.Fibonacci(Backoffs.nanos("initialDelay", initialDelay), Backoffs.maxDelay(initialDelay, maxDelay));
    }

    /**
     * Decorrelated jitter: each delay is drawn uniformly from {@code [initialDelay, 3 * previous]}, capped
     * at {@code maxDelay} (at least {@code initialDelay}). Spreads retries while still growing.
     */
    static Backoff decorrelatedJitter(Duration initialDelay, Duration maxDelay) {
        return new Backoffs.DecorrelatedJitter(Backoffs.nanos("initialDelay", initialDelay), Backoffs.maxDelay(initialDelay, maxDelay));
    }

    /**
     * An adaptive backoff with the default factors: starts at {@code initial}, halves after a success,
     * doubles after a failure, learning across calls, within {@code [min, max]}. Same as
     * {@code adaptive(initial, 0.5, 2.0, min, max)}.
     *
     * @throws dev.bulwark.ConfigException if a duration is negative or {@code min > max}
     */
    static Backoff adaptive(Duration initial, Duration min, Duration max) {
        return new AdaptiveBackoff(initial, 0.5, 2.0, min, max);
    }

    /**
     * An adaptive backoff: one delay shared by every call of the retry (and every retry it is given to), multiplied
     * by {@code successReduction} after each successful attempt and by {@code failureIncrease} after each failed one,
     * kept within {@code [min, max]}, starting at {@code initial} (clamped into that range). A dependency that keeps
     * failing is retried ever more gently; one that recovers is retried promptly again. The delay ignores the retry
     * number. Thread-safe.
     *
     * @param successReduction the factor after a success, in (0.0, 1.0]
     * @param failureIncrease the factor after a failure, in [1.0, 100.0]
     * @throws dev.bulwark.ConfigException if a factor is outside its range, a duration is negative or {@code min > max}
     */
    static Backoff adaptive(Duration initial, double successReduction, double failureIncrease, Duration min, Duration max) {
        return new AdaptiveBackoff(initial, successReduction, failureIncrease, min, max);
    }
}
