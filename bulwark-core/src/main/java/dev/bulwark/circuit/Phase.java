package dev.bulwark.circuit;

import dev.bulwark.time.Scheduler;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One period in a state. A transition replaces the phase object, so a phase's counters start fresh,
 * and an outcome is recorded against the phase its call was admitted in: a late result from a closed
 * period can never count as a half-open probe.
 */
abstract class Phase {
    final CircuitBreaker.State state;
    final long enteredNanos;
    final long enteredWallMillis;
    /** Consecutive re-opens so far: drives the growing open period. */
    final int reopens;

    Phase(CircuitBreaker.State state, long enteredNanos, long enteredWallMillis, int reopens) {
        this.state = state;
        this.enteredNanos = enteredNanos;
        this.enteredWallMillis = enteredWallMillis;
        this.reopens = reopens;
    }

    /** The window these figures come from: the live one when closed, else the one that opened the circuit. */
    abstract @Nullable OutcomeWindow window();

    /** Consecutive failures in this phase. */
    int consecutiveFailures() {
        return 0;
    }

    static final class Closed extends Phase {
        final OutcomeWindow window;
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        /**
         * When the latest timed success started (to within a millisecond): a failure of a call that started before
         * it is older news than that success and does not extend the run of consecutive failures.
         */
        volatile long latestSuccessStartNanos;

        Closed(OutcomeWindow window, long nowNanos, long wallMillis) {
            super(CircuitBreaker.State.CLOSED, nowNanos, wallMillis, 0);
            this.window = window;
            this.latestSuccessStartNanos = nowNanos;
        }

        @Override
        OutcomeWindow window() {
            return window;
        }

        @Override
        int consecutiveFailures() {
            return consecutiveFailures.get();
        }
    }

    static final class Open extends Phase {
        final long untilNanos;
        final long openNanos;
        final @Nullable OutcomeWindow lastWindow;
        final int failuresWhenOpened;
        volatile Scheduler.@Nullable Cancellable timer;

        Open(long nowNanos, long wallMillis, int reopens, long openNanos, @Nullable OutcomeWindow lastWindow,
             int failuresWhenOpened) {
            super(CircuitBreaker.State.OPEN, nowNanos, wallMillis, reopens);
            this.openNanos = openNanos;
            this.untilNanos = nowNanos + openNanos;
            this.lastWindow = lastWindow;
            this.failuresWhenOpened = failuresWhenOpened;
        }

        long untilWallMillis() {
            return enteredWallMillis + openNanos / 1_000_000L;
        }

        @Override
        @Nullable OutcomeWindow window() {
            return lastWindow;
        }

        @Override
        int consecutiveFailures() {
            return failuresWhenOpened;
        }
    }

    static final class HalfOpen extends Phase {
        final AtomicInteger permits;
        final AtomicInteger successes = new AtomicInteger();
        final int maxProbes;
        final @Nullable OutcomeWindow lastWindow;
        /** The failures that opened the circuit: a failed first probe continues their run. */
        final int failuresWhenOpened;
        /** Re-opens the circuit when no verdict came in time (only with a scheduler). */
        volatile Scheduler.@Nullable Cancellable timer;

        HalfOpen(long nowNanos, long wallMillis, int reopens, int maxProbes, @Nullable OutcomeWindow lastWindow) {
            this(nowNanos, wallMillis, reopens, maxProbes, lastWindow, 0);
        }

        HalfOpen(long nowNanos, long wallMillis, int reopens, int maxProbes, @Nullable OutcomeWindow lastWindow,
                 int failuresWhenOpened) {
            super(CircuitBreaker.State.HALF_OPEN, nowNanos, wallMillis, reopens);
            this.permits = new AtomicInteger(maxProbes);
            this.maxProbes = maxProbes;
            this.lastWindow = lastWindow;
            this.failuresWhenOpened = failuresWhenOpened;
        }

        boolean tryAcquire() {
            while (true) {
                int available = permits.get();
                if (available <= 0) {
                    return false;
                }
                if (permits.compareAndSet(available, available - 1)) {
                    return true;
                }
            }
        }

        void release() {
            permits.updateAndGet(available -> Math.min(maxProbes, available + 1));
        }

        @Override
        @Nullable OutcomeWindow window() {
            return lastWindow;
        }
    }

    /** METRICS_ONLY: an operator-held state that counts outcomes in its own window and never moves on them. */
    static final class MetricsOnly extends Phase {
        final OutcomeWindow window;
        final AtomicInteger consecutiveFailures = new AtomicInteger();

        MetricsOnly(OutcomeWindow window, long nowNanos, long wallMillis) {
            super(CircuitBreaker.State.METRICS_ONLY, nowNanos, wallMillis, 0);
            this.window = window;
        }

        @Override
        OutcomeWindow window() {
            return window;
        }

        @Override
        int consecutiveFailures() {
            return consecutiveFailures.get();
        }
    }

    /** FORCED_OPEN and DISABLED: operator-held states that judge nothing. */
    static final class Held extends Phase {
        Held(CircuitBreaker.State state, long nowNanos, long wallMillis) {
            super(state, nowNanos, wallMillis, 0);
        }

        @Override
        @Nullable OutcomeWindow window() {
            return null;
        }
    }
}
