package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.Pipeline;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TimeoutConfig.Builder#inPlace(boolean)}: the call runs on the caller's thread, which the deadline interrupts. */
class TimeoutInPlaceTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService callers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Timeout inPlace(Duration allowed) {
        return Timeout.builder("db", allowed).inPlace(true).clockAndScheduler(clock).build();
    }

    /** What the calling thread saw: the failure it got and whether its interrupt flag was set afterwards. */
    record Seen(Throwable failure, boolean interruptFlagAfter) {
    }

    private Future<Seen> callOnAnotherThread(Callable<Object> call) {
        return callers.submit(() -> {
            try {
                call.call();
                return new Seen(new AssertionError("no timeout"), Thread.currentThread().isInterrupted());
            } catch (Throwable thrown) {
                return new Seen(thrown, Thread.interrupted());
            }
        });
    }

    @Test
    void anInterruptibleCallRunsOnTheCallersThreadAndIsCutAtTheDeadline() throws Exception {
        Timeout timeout = inPlace(Duration.ofSeconds(1));
        List<Timeout.Event> events = new CopyOnWriteArrayList<>();
        timeout.subscribe(events::add);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> callerThread = new AtomicReference<>();
        AtomicReference<Thread> workThread = new AtomicReference<>();

        Future<Seen> seen = callOnAnotherThread(() -> {
            callerThread.set(Thread.currentThread());
            return timeout.execute(() -> {
                workThread.set(Thread.currentThread());
                started.countDown();
                new CountDownLatch(1).await(); // blocks until interrupted
                return "never";
            });
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));

        Seen result = seen.get(5, TimeUnit.SECONDS);
        assertThat(result.failure()).isInstanceOf(TimeoutExceededException.class)
                .hasMessage("timeout 'db' exceeded 1.000 s");
        assertThat(result.failure().getCause()).as("the call's own failure is kept")
                .isInstanceOf(InterruptedException.class);
        assertThat(result.interruptFlagAfter()).as("the interrupt we raised is cleared").isFalse();
        assertThat(workThread.get()).as("the call ran on the caller's thread").isSameAs(callerThread.get());
        assertThat(timeout.timedOutCalls()).isEqualTo(1);
        assertThat(events).containsExactly(new Timeout.Event.TimedOut("db", Duration.ofSeconds(1).toNanos()));
    }

    @Test
    void aCallThatIgnoresTheInterruptRunsToItsEndThenTheCallerGetsTheTimeoutWithTheFlagClear() throws Exception {
        Timeout timeout = inPlace(Duration.ofSeconds(1));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch sawInterrupt = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();

        Future<Seen> seen = callOnAnotherThread(() -> timeout.execute(() -> {
            started.countDown();
            boolean interrupted = false;
            while (true) { // waits uninterruptibly, then restores the flag, as well-behaved blocking code does
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    sawInterrupt.countDown();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
            return "late";
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));

        assertThat(sawInterrupt.await(5, TimeUnit.SECONDS)).as("the deadline interrupted the call").isTrue();
        assertThat(seen).as("the caller waits for the call to end").isNotDone();
        assertThat(timeout.timedOutCalls()).isEqualTo(1);
        release.countDown();

        Seen result = seen.get(5, TimeUnit.SECONDS);
        assertThat(finished).as("the call ran to its end").hasValue(1);
        assertThat(result.failure()).isInstanceOf(TimeoutExceededException.class);
        assertThat(result.interruptFlagAfter()).isFalse();
    }

    @Test
    void aCallThatEndsBeforeTheDeadlineReturnsNormallyAndIsNeverInterruptedLater() throws Exception {
        Timeout timeout = inPlace(Duration.ofSeconds(1));

        assertThat(timeout.execute(() -> {
            clock.advance(Duration.ofMillis(999));
            return "fast";
        })).isEqualTo("fast");
        clock.advance(Duration.ofSeconds(5));

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(clock.pendingTasks()).as("the alarm was cancelled").isZero();
        assertThat(timeout.timedOutCalls()).isZero();
    }

    @Test
    void aFailureBeforeTheDeadlinePassesThroughUnchanged() {
        Timeout timeout = inPlace(Duration.ofSeconds(1));
        IllegalStateException own = new IllegalStateException("own");

        assertThatThrownBy(() -> timeout.execute(() -> {
            throw own;
        })).isSameAs(own);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void callsRacingARealDeadlineNeverLeaveAnInterruptBehind() throws Exception {
        Timeout timeout = Timeout.builder("race", Duration.ofNanos(20_000)).inPlace(true).build();
        Random random = new Random(42);
        int leaks = 0;
        int timedOut = 0;
        int returned = 0;
        long sink = 0;
        for (int i = 0; i < 5_000; i++) {
            int work = random.nextInt(40_000);
            try {
                long[] sum = {0};
                sink += timeout.execute(() -> {
                    for (int k = 0; k < work; k++) {
                        sum[0] += k ^ (sum[0] >>> 3);
                    }
                    return sum[0];
                });
                returned++;
            } catch (TimeoutExceededException expected) {
                timedOut++;
            }
            // a late interrupt from this call (or the last) would show here
            if (Thread.interrupted()) {
                leaks++;
            }
        }
        assertThat(leaks).as("interrupts left behind, sink %d", sink).isZero();
        assertThat(returned + timedOut).isEqualTo(5_000);
        assertThat(timeout.timedOutCalls()).isEqualTo(timedOut);
    }

    @Test
    void insideAPipelineARetryTriesAgainAfterAnInPlaceTimeout() throws Exception {
        Retry retry = Retry.builder("db").maxRetries(2).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .clockAndScheduler(clock).build();
        Timeout timeout = inPlace(Duration.ofSeconds(2));
        Pipeline pipeline = Pipeline.of(retry, timeout);
        CountDownLatch firstStarted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();

        Future<Object> result = callers.submit(() -> {
            Object value = pipeline.execute(() -> {
                if (attempts.incrementAndGet() == 1) {
                    firstStarted.countDown();
                    new CountDownLatch(1).await();
                }
                return "second";
            });
            return Thread.currentThread().isInterrupted() ? "flag left set" : value;
        });
        assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(2));

        // the retry's wait would fail at once on a flag left set
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(attempts).hasValue(2);
        assertThat(timeout.timedOutCalls()).isEqualTo(1);
    }

    @Test
    void inPlaceIsOffByDefaultAndSurvivesToBuilder() {
        assertThat(Timeout.builder("t", Duration.ofSeconds(1)).buildConfig().inPlace()).isFalse();
        TimeoutConfig config = Timeout.builder("t", Duration.ofSeconds(1)).inPlace(true).buildConfig();
        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
    }

    @Test
    void inPlaceRefusesSettingsItWouldIgnore() {
        ExecutorService own = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> Timeout.builder("t", Duration.ofSeconds(1)).inPlace(true).executor(own).build())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("executor")
                    .hasMessageContaining("inPlace");
        } finally {
            own.shutdownNow();
        }
        assertThatThrownBy(() -> Timeout.builder("t", Duration.ofSeconds(1)).inPlace(true)
                .waitForInterruptedWork(Duration.ofMillis(5)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("waitForInterruptedWork")
                .hasMessageContaining("inPlace");
    }
}
