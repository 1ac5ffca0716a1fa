package dev.bulwark.fallback;

import static dev.bulwark.fallback.FallbackStrategy.CIRCUIT_BREAK;
import static dev.bulwark.fallback.FallbackStrategy.DEGRADE_SERVICE;
import static dev.bulwark.fallback.FallbackStrategy.LOAD_SHED;
import static dev.bulwark.fallback.FallbackStrategy.QUEUE_REQUEST;
import static dev.bulwark.fallback.FallbackStrategy.RETRY;
import static dev.bulwark.fallback.FallbackStrategy.SWITCH_PROVIDER;
import static dev.bulwark.fallback.FallbackStrategy.USE_CACHE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Requests are prompts (strings); the primary answers only prompts of at most {@code limit} characters. */
class FallbackChainTest {

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger primaryCalls = new AtomicInteger();
    private volatile int limit = Integer.MAX_VALUE;
    private volatile boolean primaryDown;

    private FallbackChain.Call<String, String> primary() {
        return (prompt, context) -> {
            primaryCalls.incrementAndGet();
            if (primaryDown || prompt.length() > limit) {
                throw new IOException("primary cannot answer '" + prompt + "'");
            }
            return "primary: " + prompt;
        };
    }

    private Retry retry() {
        return Retry.builder("llm").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1))).clockAndScheduler(clock).build();
    }

    @Test
    void thePrimaryAnswersAndRefreshesTheCache() {
        ResultCache<String, String> cache = new ResultCache<>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary()).strategies(USE_CACHE)
                .cache(cache, prompt -> prompt).build();

        FallbackResult<String> result = chain.execute("hello");

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SERVED);
        assertThat(result.value()).isEqualTo("primary: hello");
        assertThat(cache.fresh("hello")).contains("primary: hello");
    }

    @Test
    void strategiesAreTriedInTheConfiguredOrderAndTheResultSaysWhichAnswered() {
        primaryDown = true;
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary())
                .strategies(RETRY, SWITCH_PROVIDER, QUEUE_REQUEST)
                .retry(retry())
                .provider("model-b", (prompt, context) -> {
                    throw new IOException("model-b down");
                })
                .provider("model-c", (prompt, context) -> "model-c: " + prompt)
                .queue(new InMemoryDeferredQueue<>("later", 10)).build();

        FallbackResult<String> result = chain.execute("hello");

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(result.value()).isEqualTo("model-c: hello");
        assertThat(result.trail()).containsExactly("primary: IOException primary cannot answer 'hello'",
                "RETRY: IOException primary cannot answer 'hello'", "provider model-b: IOException model-b down",
                "provider model-c", "switched");
        assertThat(primaryCalls).hasValue(3);
    }

    @Test
    void aRetryThatSucceedsSaysRetried() {
        AtomicInteger calls = new AtomicInteger();
        FallbackChain<String, String> chain = FallbackChain.<String, String>builder("llm", (prompt, context) -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "finally";
        }).strategies(RETRY).retry(retry()).build();

        assertThat(chain.execute("x").outcome()).isEqualTo(FallbackResult.Outcome.RETRIED);
    }

    @Test
    void aConstrainedResourceSkipsThePrimaryAndDegradesTheRequest() {
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1)).build();
        resources.recordUsage(ResourceType.API_QUOTA, "model-a", 95);
        resources.recordUsage(ResourceType.API_QUOTA, "model-b", 99);
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary())
                .resource(resources, ResourceType.API_QUOTA, prompt -> "model-a")
                .strategies(RETRY, SWITCH_PROVIDER, DEGRADE_SERVICE)
                .retry(retry()).provider("model-b", (prompt, context) -> "model-b: " + prompt)
                .degrade(prompt -> prompt.substring(0, 3)).build();

        FallbackResult<String> result = chain.execute("a very long prompt");

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.DEGRADED);
        assertThat(result.value()).isEqualTo("primary: a v");
        assertThat(result.trail()).containsExactly("resource api_quota/model-a constrained",
                "RETRY skipped: resource constrained", "provider model-b skipped: resource constrained", "degraded");
        assertThat(primaryCalls).as("only the degraded call").hasValue(1);
    }

    @Test
    void theCacheAnswersWithAStaleValueWhenEverythingElseFails() {
        ResultCache<String, String> cache = new ResultCache<>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary()).strategies(USE_CACHE)
                .cache(cache, prompt -> prompt).build();
        chain.execute("hello");
        clock.advance(Duration.ofMinutes(30));
        primaryDown = true;

        FallbackResult<String> result = chain.execute("hello");

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.CACHED);
        assertThat(result.value()).isEqualTo("primary: hello");
        assertThat(cache.stats().staleHits()).isEqualTo(1);
    }

    @Test
    void queuedRequestsGetATicket() {
        primaryDown = true;
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary()).strategies(QUEUE_REQUEST).queue(queue).build();

        FallbackResult<String> result = chain.execute("do it later");

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.QUEUED);
        assertThat(result.ticket()).hasValue(1);
        assertThat(queue.peek(1)).extracting(DeferredQueue.Ticketed::item).containsExactly("do it later");
    }

    @Test
    void circuitBreakStopsTheChainAndLoadShedShedsIt() {
        primaryDown = true;
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackChain<String, String> stop = FallbackChain.builder("llm", primary()).strategies(CIRCUIT_BREAK, QUEUE_REQUEST)
                .queue(queue).build();
        FallbackChain<String, String> shed = FallbackChain.builder("llm", primary()).strategies(LOAD_SHED).build();

        assertThat(stop.execute("x").outcome()).isEqualTo(FallbackResult.Outcome.FAILED);
        assertThat(queue.size()).as("nothing after CIRCUIT_BREAK is tried").isZero();
        assertThat(shed.execute("x").outcome()).isEqualTo(FallbackResult.Outcome.SHED);
    }

    @Test
    void anOpenCircuitKeepsThePrimaryUncalledAndTheLoadShedderAdmitsByPriority() {
        CircuitBreaker breaker = CircuitBreaker.builder("llm").clock(clock).build();
        breaker.forceOpen();
        LoadShedder shedder = LoadShedder.of("llm", 1);
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary()).strategies(SWITCH_PROVIDER)
                .circuitBreaker(breaker).loadShedder(shedder)
                .provider("backup", (prompt, context) -> "backup: " + prompt).build();

        FallbackResult<String> result = chain.execute("x");
        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(primaryCalls).hasValue(0);

        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isTrue();
        assertThat(chain.execute("y", Priority.LOW).outcome()).isEqualTo(FallbackResult.Outcome.SHED);
    }

    @Test
    void aStrategyWithoutItsIngredientOrTwiceIsRefusedAtBuild() {
        assertThatThrownBy(() -> FallbackChain.builder("llm", primary()).strategies(RETRY).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fallback chain 'llm': strategies must be given its ingredient: call retry(...), was RETRY");
        assertThatThrownBy(() -> FallbackChain.builder("llm", primary()).strategies(LOAD_SHED, LOAD_SHED).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fallback chain 'llm': strategies must be each strategy at most once, was " + List.of(LOAD_SHED, LOAD_SHED));
    }

    @Test
    void anInterruptedPrimaryEndsTheChainAsACancellationAndKeepsTheInterrupt() {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackChain<String, String> chain = FallbackChain.<String, String>builder("llm", (prompt, context) -> {
            throw new InterruptedException("shutting down");
        }).queue(queue).build();

        try {
            assertThatThrownBy(() -> chain.execute("x")).isInstanceOf(java.util.concurrent.CancellationException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(queue.size()).as("no fallback for a caller who gave up").isZero();
    }

    @Test
    void everyExecutionIsCountedAndPublishedByOutcome() {
        primaryDown = true;
        FallbackChain<String, String> chain = FallbackChain.builder("llm", primary())
                .provider("backup", (prompt, context) -> "backup: " + prompt).build();
        List<FallbackEvent> events = new java.util.ArrayList<>();
        chain.subscribe(events::add);

        chain.execute("a");
        chain.execute("b");

        assertThat(chain.strategies()).as("the seed's order over what was given").containsExactly(SWITCH_PROVIDER);
        assertThat(chain.count(FallbackResult.Outcome.SWITCHED)).isEqualTo(2);
        assertThat(events).extracting(FallbackEvent::outcome).containsExactly(FallbackResult.Outcome.SWITCHED,
                FallbackResult.Outcome.SWITCHED);
        assertThat(events.get(0).trail()).endsWith("provider backup", "switched");
    }
}
