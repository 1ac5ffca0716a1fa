package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a synchronous call times out: by default the exception comes at once, while the interrupted work may still
 * be cleaning up; with {@code waitForInterruptedWork} it comes once the work has ended, or after that bounded wait.
 */
class TimeoutInterruptedWorkTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ExecutorService callers = Executors.newSingleThreadExecutor();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final CountDownLatch finishCleanUp = new CountDownLatch(1);
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    /** Whether the work had cleaned up when the caller saw the timeout. */
    private final AtomicBoolean cleanedUpWhenThrown = new AtomicBoolean();

    @AfterEach
    void stop() throws InterruptedException {
        finishCleanUp.countDown();
        callers.shutdownNow();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs, in a caller thread, a call that blocks until interrupted and then cleans up until told to finish. */
    private Future<Throwable> slowCallWithSlowCleanUp(Timeout timeout) throws InterruptedException {
        Future<Throwable> caller = callers.submit(() -> {
            try {
                timeout.execute(() -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException expected) {
                        interrupted.countDown();
                    }
                    boolean told = finishCleanUp.await(10, TimeUnit.SECONDS);
                    cleanedUp.set(told);
                    return "late";
                });
                return null;
            } catch (Throwable thrown) {
                cleanedUpWhenThrown.set(cleanedUp.get());
                return thrown;
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return caller;
    }

    @Test
    void byDefaultTheTimeoutIsThrownBeforeTheInterruptedWorkHasFinished() throws Exception {
        Timeout timeout = Timeout.builder("search", Duration.ofSeconds(5)).executor(executor).clockAndScheduler(clock).build();
        Future<Throwable> caller = slowCallWithSlowCleanUp(timeout);

        clock.advance(Duration.ofSeconds(5));

        assertThat(caller.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class);
        assertThat(cleanedUpWhenThrown).as("the work was still cleaning up").isFalse();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void waitingTimeoutsThrowOnlyOnceTheInterruptedWorkHasEnded() throws Exception {
        Timeout timeout = Timeout.builder("search", Duration.ofSeconds(5)).executor(executor)
                .waitForInterruptedWork(Duration.ofSeconds(30)).clockAndScheduler(clock).build();
        Future<Throwable> caller = slowCallWithSlowCleanUp(timeout);

        clock.advance(Duration.ofSeconds(5));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(caller).as("the work is still cleaning up").isNotDone();
        finishCleanUp.countDown();

        assertThat(caller.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class)
                .hasMessage("timeout 'search' exceeded 5.000 s");
        assertThat(cleanedUpWhenThrown).isTrue();
        assertThat(timeout.timedOutCalls()).isEqualTo(1);
    }

    @Test
    void theWaitForInterruptedWorkIsBounded() throws Exception {
        Timeout timeout = Timeout.builder("search", Duration.ofSeconds(5)).executor(executor)
                .waitForInterruptedWork(Duration.ofSeconds(30)).clockAndScheduler(clock).build();
        Future<Throwable> caller = slowCallWithSlowCleanUp(timeout);

        clock.advance(Duration.ofSeconds(5));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(caller).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        assertThat(caller.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class);
        assertThat(cleanedUpWhenThrown).as("gave up waiting on work that never ended").isFalse();
    }

    @Test
    void aNegativeWaitIsRefusedAtBuild() {
        assertThatThrownBy(() -> Timeout.builder("search", Duration.ofSeconds(5))
                .waitForInterruptedWork(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("timeout 'search': waitForInterruptedWork must be a duration >= 0, was PT-1S");
    }
}
