package dev.bulwark.microprofile;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncCallsTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FtRuntime runtime = new FtRuntime() {
        @Override
        public FallbackHandler<?> handler(Class<?> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<?> submit(Runnable task) {
            return executor.submit(task);
        }
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private AsyncCalls.Offloaded runUntilReleased(AsyncCalls.Cancellation cancellation, CountDownLatch started,
                                                  CountDownLatch release, AtomicBoolean interrupted) {
        AsyncCalls.Offloaded offloaded = new AsyncCalls.Offloaded(cancellation);
        offloaded.start(runtime, () -> {
            started.countDown();
            try {
                release.await(5, SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            offloaded.finish("done");
        });
        return offloaded;
    }

    @Test
    void cancelWithoutInterruptLeavesTheRunningCallRunningAndUnfinished() throws Exception {
        AsyncCalls.Cancellation cancellation = new AsyncCalls.Cancellation();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AsyncCalls.Offloaded offloaded = runUntilReleased(cancellation, started, release, interrupted);
        assertThat(started.await(5, SECONDS)).isTrue();

        new AsyncCalls.CallerFuture(cancellation).cancel(false);
        offloaded.cancel(true);

        // still running: a bulkhead around it keeps its permit
        assertThat(offloaded.isDone()).isFalse();
        release.countDown();
        assertThat(offloaded.get(5, SECONDS)).isEqualTo("done");
        assertThat(interrupted).isFalse();
    }

    @Test
    void cancelWithInterruptInterruptsTheRunningCall() throws Exception {
        AsyncCalls.Cancellation cancellation = new AsyncCalls.Cancellation();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AsyncCalls.Offloaded offloaded = runUntilReleased(cancellation, started, new CountDownLatch(1), interrupted);
        assertThat(started.await(5, SECONDS)).isTrue();

        offloaded.cancel(true);

        assertThat(offloaded.get(5, SECONDS)).isEqualTo("done");
        assertThat(interrupted).isTrue();
    }

    @Test
    void futureResultFollowsTheMethodsOwnFuture() throws Exception {
        AsyncCalls.Cancellation cancellation = new AsyncCalls.Cancellation();
        AsyncCalls.CallerFuture outcome = new AsyncCalls.CallerFuture(cancellation);
        java.util.concurrent.CompletableFuture<Object> methodsOwn = new java.util.concurrent.CompletableFuture<>();
        AsyncCalls.FutureResult result = new AsyncCalls.FutureResult(outcome, cancellation);
        outcome.complete(methodsOwn);
        assertThat(result.isDone()).isFalse();
        methodsOwn.completeExceptionally(new IllegalStateException("own failure"));
        assertThat(result.isDone()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(result::get)
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
