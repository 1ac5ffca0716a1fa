package dev.bulwark.microprofile;

import dev.bulwark.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** The futures of one asynchronous invocation: what the caller holds, and what runs the method. */
final class AsyncCalls {

    private AsyncCalls() {
    }

    /** Whether the caller's cancel asked to interrupt the method (a timeout always does). */
    static final class Cancellation {
        private volatile boolean interrupt = true;

        void requested(boolean mayInterrupt) {
            interrupt = mayInterrupt;
        }

        boolean interrupt() {
            return interrupt;
        }
    }

    /** The future the caller gets for a {@code CompletionStage} method: cancelling it records whether to interrupt. */
    static final class CallerFuture extends CompletableFuture<Object> {
        private final Cancellation cancellation;

        CallerFuture(Cancellation cancellation) {
            this.cancellation = cancellation;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancellation.requested(mayInterruptIfRunning);
            return super.cancel(mayInterruptIfRunning);
        }
    }

    /**
     * The method's run on the executor, as a stage. Cancelling it cancels the task (interrupting it if the caller
     * allowed) and completes the stage only if the method never started; a running method completes it by ending.
     */
    static final class Offloaded extends CompletableFuture<Object> {
        private final Cancellation cancellation;
        private final AtomicBoolean started = new AtomicBoolean();
        private volatile @Nullable Future<?> task;

        Offloaded(Cancellation cancellation) {
            this.cancellation = cancellation;
        }

        void start(FtRuntime runtime, Runnable body) {
            task = runtime.submit(() -> {
                if (started.compareAndSet(false, true)) {
                    body.run();
                }
            });
        }

        void finish(@Nullable Object value) {
            super.complete(value);
        }

        /** This future's completion, for the method's own outcome. */
        CompletableFuture<Object> sink() {
            return this;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (started.compareAndSet(false, true)) {
                Future<?> submitted = task;
                if (submitted != null) {
                    submitted.cancel(false);
                }
                return super.cancel(false);
            }
            Future<?> submitted = task;
            if (submitted != null && !isDone()) {
                submitted.cancel(cancellation.interrupt());
            }
            return false;
        }
    }

    /**
     * The future the caller gets for a {@code Future} method: the pipeline's outcome is the method's (or fallback's)
     * own future, which this one then follows.
     */
    static final class FutureResult implements Future<Object> {
        private final CallerFuture outcome;
        private final Cancellation cancellation;

        FutureResult(CallerFuture outcome, Cancellation cancellation) {
            this.outcome = outcome;
            this.cancellation = cancellation;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancellation.requested(mayInterruptIfRunning);
            if (outcome.cancel(mayInterruptIfRunning)) {
                return true;
            }
            Future<?> inner = innerNow();
            return inner != null && inner.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            if (outcome.isCancelled()) {
                return true;
            }
            Future<?> inner = innerNow();
            return inner != null && inner.isCancelled();
        }

        @Override
        public boolean isDone() {
            if (!outcome.isDone()) {
                return false;
            }
            if (outcome.isCompletedExceptionally()) {
                return true;
            }
            Future<?> inner = innerNow();
            return inner == null || inner.isDone();
        }

        @Override
        public @Nullable Object get() throws InterruptedException, ExecutionException {
            Object inner = outcome.get();
            return inner instanceof Future<?> future ? future.get() : inner;
        }

        @Override
        public @Nullable Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            Clock clock = Clock.system();
            long deadline = clock.nanoTime() + unit.toNanos(timeout);
            Object inner = outcome.get(timeout, unit);
            if (inner instanceof Future<?> future) {
                return future.get(Math.max(0L, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return inner;
        }

        private @Nullable Future<?> innerNow() {
            if (!outcome.isDone() || outcome.isCompletedExceptionally()) {
                return null;
            }
            try {
                Object inner = outcome.getNow(null);
                return inner instanceof Future<?> future ? future : null;
            } catch (CancellationException | java.util.concurrent.CompletionException failed) {
                return null;
            }
        }
    }
}
