package dev.bulwark;

import java.util.Objects;

/**
 * Carries thread-bound context (a logging MDC, a security principal, a trace span) across the threads Bulwark
 * hops: the executor of a synchronous timeout or hedge, the scheduler that starts a delayed retry attempt, a
 * rate limiter's or bulkhead's wait, an asynchronous timeout's alarm (and so the fallback it triggers), a
 * fan-out's blocking adapters.
 *
 * <p>A propagator {@linkplain #capture() captures} the context on the thread that starts an execution; on every
 * thread that later runs part of that execution, the snapshot is {@linkplain Snapshot#restore() restored} and,
 * when that part ends, the {@link Scope} puts back what the thread held before. It never just clears: a thread
 * that had its own context (a caller running an attempt inline) gets it back unchanged.
 *
 * <p>Propagators are registered for the whole JVM with {@link #register}; none is registered by default, and
 * then Bulwark captures nothing and wraps nothing. A framework integration registers its propagators at start
 * and closes the returned scope at shutdown. Implementations must be thread-safe and must not throw: a
 * propagator that throws on restore is reported to the thread's uncaught-exception handler and the work runs
 * without that propagator's context, so a broken propagator can never leave a call unanswered.
 */
public interface ContextPropagator {

    /**
     * The calling thread's context. Called on the thread that starts an execution; must be cheap and must not
     * block.
     */
    Snapshot capture();

    /**
     * Registers {@code propagator} for every execution started from now on, after the ones already registered
     * (restored in registration order, put back in reverse). Close the returned scope to unregister; closing it
     * again does nothing.
     *
     * @throws IllegalArgumentException if this propagator is already registered
     */
    static Scope register(ContextPropagator propagator) {
        return ContextPropagators.register(Objects.requireNonNull(propagator, "propagator"));
    }

    /**
     * The calling thread's context as every registered propagator sees it, for code that hops threads itself
     * (an integration's asynchronous executor). With none registered, a snapshot that restores nothing.
     */
    static Snapshot snapshot() {
        return ContextPropagators.captureAll();
    }

    /** Context captured on one thread, to be restored on others, any number of times, also concurrently. */
    @FunctionalInterface
    interface Snapshot {

        /** Installs the captured context on the current thread; the scope puts back what was there before. */
        Scope restore();

        /**
         * {@code task} running with this context restored around it. With nothing captured, {@code task}
         * itself.
         */
        default Runnable wrap(Runnable task) {
            Objects.requireNonNull(task, "task");
            return () -> {
                try (Scope restored = restore()) {
                    task.run();
                }
            };
        }
    }

    /** Undoes what opened it (a restore or a registration) when closed; closing twice is harmless. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** Puts back what was there before; does not throw. */
        @Override
        void close();
    }
}
