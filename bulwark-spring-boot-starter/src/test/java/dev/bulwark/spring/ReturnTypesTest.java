package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Hedge;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.annotation.Timeout;
import dev.bulwark.time.ManualClock;
import dev.bulwark.timeout.TimeoutExceededException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@SpringBootTest(classes = ReturnTypesTest.App.class, properties = {
        "bulwark.instances.slow.operation_timeout=2s",
        "bulwark.instances.flaky.retry.max_retries=2",
        "bulwark.instances.flaky.retry.initial_delay=50ms"})
class ReturnTypesTest {
    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

    @Autowired
    private ManualClock clock;
    @Autowired
    private Service service;

    @Test
    void aPlainMethodIsTimedOutInPlaceAndInterruptedKeepingItsThreadBoundState() throws Exception {
        CompletableFuture<Throwable> caller = CompletableFuture.supplyAsync(() -> {
            REQUEST.set("request-7");
            try {
                service.blocking();
                return null;
            } catch (Throwable failure) {
                return failure;
            } finally {
                REQUEST.remove();
            }
        });
        assertThat(service.entered().await(5, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(2));

        assertThat(caller.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class);
        assertThat(service.interrupted().get()).isTrue();
        assertThat(service.seenRequest().get()).isEqualTo("request-7");
    }

    @Test
    void aStageIsRetriedWithItsDelaysOnTheClock() throws Exception {
        CompletableFuture<String> answer = service.flakyStage();
        assertThat(answer).isNotDone();

        clock.advance(Duration.ofMillis(50));
        clock.advance(Duration.ofMillis(50));

        assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("stage ok after 3");
    }

    @Test
    void aStageThatNeverCompletesTimesOut() {
        CompletionStage<String> answer = service.hangingStage();

        clock.advance(Duration.ofSeconds(2));

        assertThatThrownBy(() -> answer.toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutExceededException.class);
    }

    @Test
    void aStageFallbackAnswersAFailedStage() throws Exception {
        assertThat(service.failingStage("q").get(5, TimeUnit.SECONDS)).isEqualTo("stage fallback for q");
    }

    @Test
    void aMonoIsResubscribedForEachRetry() {
        Mono<String> answer = service.flakyMono();
        CompletableFuture<String> result = answer.toFuture();
        clock.advance(Duration.ofMillis(50));
        clock.advance(Duration.ofMillis(50));

        assertThat(result).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("mono ok after 3");
    }

    @Test
    void aMonoThatNeverAnswersTimesOut() {
        CompletableFuture<String> result = service.hangingMono().toFuture();

        clock.advance(Duration.ofSeconds(2));

        assertThat(result).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutExceededException.class);
    }

    @Test
    void aFluxIsRetriedAsAWholeSoNoElementIsSeenTwice() {
        CompletableFuture<List<String>> result = service.flakyFlux().collectList().toFuture();
        clock.advance(Duration.ofMillis(50));
        clock.advance(Duration.ofMillis(50));

        assertThat(result).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(List.of("a", "b", "c"));
    }

    @Test
    void aMonoFallbackAnswersAFailedMono() {
        assertThat(service.failingMono().toFuture()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("mono fallback");
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
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicReference<String> seenRequest = new AtomicReference<>();
        private final AtomicInteger stageAttempts = new AtomicInteger();
        private final AtomicInteger monoAttempts = new AtomicInteger();
        private final AtomicInteger fluxAttempts = new AtomicInteger();

        public CountDownLatch entered() {
            return entered;
        }

        public AtomicBoolean interrupted() {
            return interrupted;
        }

        public AtomicReference<String> seenRequest() {
            return seenRequest;
        }

        @Timeout("slow")
        public String blocking() {
            seenRequest.set(REQUEST.get());
            entered.countDown();
            try {
                new CountDownLatch(1).await(5, TimeUnit.SECONDS);
                return "not interrupted";
            } catch (InterruptedException expected) {
                interrupted.set(true);
                return "interrupted";
            }
        }

        @Retry("flaky")
        public CompletableFuture<String> flakyStage() {
            int attempt = stageAttempts.incrementAndGet();
            return attempt < 3 ? CompletableFuture.failedFuture(new IllegalStateException("no " + attempt))
                    : CompletableFuture.completedFuture("stage ok after " + attempt);
        }

        @Timeout("slow")
        public CompletionStage<String> hangingStage() {
            return new CompletableFuture<>();
        }

        @Fallback("stageFallback")
        public CompletableFuture<String> failingStage(String query) {
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        }

        public CompletableFuture<String> stageFallback(String query) {
            return CompletableFuture.completedFuture("stage fallback for " + query);
        }

        @Retry("flaky")
        public Mono<String> flakyMono() {
            return Mono.fromSupplier(monoAttempts::incrementAndGet).flatMap(attempt -> attempt < 3
                    ? Mono.error(new IllegalStateException("no " + attempt)) : Mono.just("mono ok after " + attempt));
        }

        @Timeout("slow")
        public Mono<String> hangingMono() {
            return Mono.never();
        }

        @Retry("flaky")
        public Flux<String> flakyFlux() {
            int attempt = fluxAttempts.incrementAndGet();
            Flux<String> head = Flux.just("a", "b");
            return attempt < 3 ? head.concatWith(Flux.error(new IllegalStateException("cut"))) : head.concatWith(Flux.just("c"));
        }

        @Fallback("monoFallback")
        public Mono<String> failingMono() {
            return Mono.error(new IllegalStateException("down"));
        }

        public Mono<String> monoFallback(Throwable failure) {
            return Mono.just("mono fallback");
        }
    }

    /** Not part of the application: a hedge on a Flux is refused at startup. */
    public static class HedgedFlux {
        @Hedge("h")
        public Flux<String> stream() {
            return Flux.just("x");
        }
    }
}
