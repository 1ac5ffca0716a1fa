package dev.bulwark.circuit;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import java.time.Duration;

/**
 * A circuit breaker: while a dependency keeps failing, calls to it are rejected at once with a
 * {@link CircuitOpenException} instead of waiting on it; after an open period a few probe calls test it,
 * and enough successes close the circuit again.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *         .consecutiveFailureThreshold(5)
 *         .recoveryTimeout(Duration.ofSeconds(60))
 *         .build();
 * breaker.subscribe(event -> log.info(event.toString()));
 * Receipt receipt = breaker.execute(() -> payments.charge(order));
 * }</pre>
 *
 * <p>Use it as a {@link Policy} (alone, or in a {@link dev.bulwark.Pipeline}), or drive it by hand
 * around calls it does not run: {@link #tryAcquirePermission()}, then {@link #onSuccess(long)} or
 * {@link #onError(long, Throwable)}, or {@link #releasePermission()} if the call never happened.
 *
 * <p>A closed breaker takes no lock and allocates nothing per call. This interface's implementation
 * is thread-safe.
 */
public interface CircuitBreaker extends Policy, EventSource<CircuitEvent> {

    /** A builder for a breaker called {@code name}, with every default of {@link CircuitBreakerConfig}. */
    static CircuitBreakerConfig.Builder builder(String name) {
        return CircuitBreakerConfig.builder(name);
    }

    /** A breaker with the given config. */
    static CircuitBreaker of(CircuitBreakerConfig config) {
        return new DefaultCircuitBreaker(config);
    }

    /** A breaker called {@code name} with every default. */
    static CircuitBreaker ofDefaults(String name) {
        return builder(name).build();
    }

    /** This breaker's settings. */
    CircuitBreakerConfig config();

    /**
     * The current state. An open circuit whose open period has ended becomes HALF_OPEN when asked, and a
     * half-open circuit that waited longer than {@code maxHalfOpenDuration} for a verdict re-opens when asked,
     * even if no call has arrived (with a scheduler both moves also happen on time).
     */
    CircuitState state();

    /** A consistent-enough snapshot of counts, rates and history (each value read once). */
    CircuitStats stats();

    /** The health score, its parts and the health status, evaluated now. */
    HealthReport health();

    /**
     * Asks to make one call. A true answer must be followed by exactly one of {@link #onSuccess},
     * {@link #onError}, {@link #onResult} or {@link #releasePermission()}.
     *
     * @return false if the call must not be made; the rejection is counted
     */
    boolean tryAcquirePermission();

    /**
     * Like {@link #tryAcquirePermission()}, but throws when the call must not be made.
     *
     * @throws CircuitOpenException naming the breaker, its state and when it may let calls through
     */
    void acquirePermission();

    /** Gives back a permission whose call was never made or was cancelled (a half-open probe slot frees up). */
    void releasePermission();

    /** Records a successful call that took {@code durationNanos} (negative when not measured). */
    void onSuccess(long durationNanos);

    /** Records a call that threw {@code error} after {@code durationNanos}; the predicates decide how it counts. */
    void onError(long durationNanos, Throwable error);

    /** Records a call that returned {@code result}; the result predicate decides whether it failed. */
    void onResult(long durationNanos, Object result);

    /** Opens the circuit now, as if the failure threshold had been reached; it recovers on its own. */
    void trip();

    /** Closes the circuit, clears its window and resets the open-period backoff. Leaves FORCED_OPEN and DISABLED. */
    void reset();

    /** Holds the circuit open, rejecting every call, until {@link #reset()}. */
    void forceOpen();

    /**
     * Lets every call through until {@link #reset()}, counting nothing: while disabled no outcome reaches the
     * stats, the window, the health score or the outcome events (only the transition itself is an event). To keep
     * counting while letting everything through, use {@link #metricsOnly()}.
     */
    void disable();

    /**
     * Lets every call through until {@link #reset()} while recording every outcome as a closed circuit would
     * (stats, a fresh window and its rates, health, outcome events), but never changes state on them: what a
     * dashboard should show for a breaker being evaluated before it is allowed to act.
     */
    void metricsOnly();

    /**
     * Drops transitions older than the retention period now, without waiting for the cleanup interval; returns how
     * many.
     */
    int cleanup();

    /** The open period the next opening would use, given the consecutive re-opens so far. */
    Duration currentRecoveryTimeout();

    @Override
    default Class<? extends Component> kind() {
        return CircuitBreaker.class;
    }
}
