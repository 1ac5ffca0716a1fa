package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.annotation.Bulkhead;
import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Hedge;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

@SpringBootTest(classes = ContextPropagationTest.App.class, properties = {
        "bulwark.instances.flaky.retry.max_retries=2",
        "bulwark.instances.flaky.retry.initial_delay=100ms",
        "bulwark.instances.narrow.bulkhead.max_concurrent_calls=1",
        "bulwark.instances.narrow.bulkhead.max_wait=1s",
        "bulwark.instances.twice.hedge.delay=100ms"})
class ContextPropagationTest {
    @Autowired
    private ManualClock clock;
    @Autowired
    private Service service;

    @AfterEach
    void clearTheTestThread() {
        MDC.clear();
        SecurityContextHolder.clearContext();
    }

    @Test
    void theMdcIsInEveryAsyncRetryAttemptAndTheAdvancingThreadGetsItsOwnBack() throws Exception {
        MDC.put("request", "r-1");
        CompletableFuture<String> answer = service.flaky();
        // the later attempts run on this thread as it advances the clock, while it holds another MDC
        MDC.put("request", "test-thread");

        clock.advance(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(100));

        assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(service.mdcPerAttempt()).containsExactly("r-1", "r-1", "r-1");
        assertThat(MDC.get("request")).isEqualTo("test-thread");
    }

    @Test
    void theMdcIsInTheFallbackAfterABulkheadWait() throws Exception {
        CompletableFuture<String> holder = service.holdNarrow();
        CompletableFuture<CompletableFuture<String>> waiting = onAnotherThread(() -> {
            MDC.put("request", "r-2");
            return service.holdNarrow();
        });
        CompletableFuture<String> waiter = waiting.get(5, TimeUnit.SECONDS);
        assertThat(waiter).isNotDone();

        clock.advance(Duration.ofSeconds(1));

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("fallback saw r-2");
        service.release().complete("done");
        assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void theSecurityContextIsInEveryHedgedAttempt() throws Exception {
        CompletableFuture<String> answer = onAnotherThread(() -> {
            SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
            try {
                return service.hedged();
            } finally {
                SecurityContextHolder.clearContext();
            }
        });
        assertThat(service.hedgeStarted().await(5, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofMillis(100));

        assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("backup for alice");
        assertThat(service.usersPerAttempt()).containsExactly("alice", "alice");
        service.hedgeRelease().countDown();
    }

    private static <T> CompletableFuture<T> onAnotherThread(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable failed) {
                result.completeExceptionally(failed);
            }
        });
        thread.start();
        return result;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Service.class)
    static class App {
        @Bean
        @Primary
        ManualClock manualClock() {
            return new ManualClock();
        }
    }

    public static class Service {
        final CountDownLatch attemptStarted = new CountDownLatch(1);
        final CountDownLatch hedgeStarted = new CountDownLatch(1);
        final CountDownLatch hedgeRelease = new CountDownLatch(1);
        final CompletableFuture<String> release = new CompletableFuture<>();
        private final List<String> mdcPerAttempt = new CopyOnWriteArrayList<>();
        private final List<String> usersPerAttempt = new CopyOnWriteArrayList<>();
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicInteger hedges = new AtomicInteger();

        public CountDownLatch attemptStarted() {
            return attemptStarted;
        }

        public CountDownLatch hedgeStarted() {
            return hedgeStarted;
        }

        public CountDownLatch hedgeRelease() {
            return hedgeRelease;
        }

        public CompletableFuture<String> release() {
            return release;
        }

        public List<String> mdcPerAttempt() {
            return mdcPerAttempt;
        }

        public List<String> usersPerAttempt() {
            return usersPerAttempt;
        }

        @Retry("flaky")
        public CompletableFuture<String> flaky() {
            mdcPerAttempt.add(String.valueOf(MDC.get("request")));
            attemptStarted.countDown();
            return attempts.incrementAndGet() < 3 ? CompletableFuture.failedFuture(new IllegalStateException("again"))
                    : CompletableFuture.completedFuture("ok");
        }

        @Fallback("busy")
        @Bulkhead("narrow")
        public CompletableFuture<String> holdNarrow() {
            return release;
        }

        public CompletableFuture<String> busy(Exception refused) {
            return CompletableFuture.completedFuture("fallback saw " + MDC.get("request"));
        }

        @Hedge("twice")
        public String hedged() {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            usersPerAttempt.add(user == null ? "nobody" : user.getName());
            if (hedges.incrementAndGet() == 1) {
                hedgeStarted.countDown();
                try {
                    hedgeRelease.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException cancelled) {
                    Thread.currentThread().interrupt();
                }
                return "first for " + (user == null ? "nobody" : user.getName());
            }
            return "backup for " + (user == null ? "nobody" : user.getName());
        }
    }
}
