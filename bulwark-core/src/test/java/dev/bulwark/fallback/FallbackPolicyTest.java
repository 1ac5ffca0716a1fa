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
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fallback strategies on opaque calls, one by one and in order, sync and async, alone and in a pipeline.
 */
class FallbackPolicyTest extends FakeLlmFixture {

    @Test
    void aHealthyCallIsServedAndCounted() throws Exception {
        FallbackPolicy policy = FallbackPolicy.builder("llm").providers("model-b").build();
        List<FallbackEvent> events = new ArrayList<>();
        policy.subscribe(events::add);

        assertThat(policy.execute(prompt("hi"), llm)).isEqualTo("model-a/2000: hi");
        assertThat(policy.count(FallbackResult.Outcome.SERVED)).isEqualTo(1);
        assertThat(events).extracting(FallbackEvent::outcome).containsExactly(FallbackResult.Outcome.SERVED);
        assertThat(seen).containsExactly("model-a/2000");
    }

    @Test
    void listenersSeeTheTrailOfACallThatFellBack() throws Exception {
        down.add("model-a");
        FallbackPolicy policy = FallbackPolicy.builder("llm").providers("model-b").build();
        List<FallbackEvent> events = new ArrayList<>();
        policy.subscribe(events::add);

        assertThat(policy.execute(prompt("hi"), llm)).isEqualTo("model-b/2000: hi");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
            assertThat(event.trail()).containsExactly("primary: IOException model-a down", "provider model-b", "switched");
        });
    }

    @Test
    void strategiesRunInTheConfiguredOrderAndTheResultSaysWhichAnswered() throws Exception {
        down.addAll(List.of("model-a", "model-b"));
        InMemoryDeferredQueue<Map<String, String>> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(RETRY, SWITCH_PROVIDER, QUEUE_REQUEST)
                .retry(retry()).providers("model-b", "model-c").queue(queue, ExecutionContext::tags).build();

        FallbackResult<String> result = policy.executeForResult(prompt("hi"), llm);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(result.value()).isEqualTo("model-c/2000: hi");
        assertThat(result.trail()).containsExactly("primary: IOException model-a down", "RETRY: IOException model-a down",
                "provider model-b: IOException model-b down", "provider model-c", "switched");
        assertThat(seen).containsExactly("model-a/2000", "model-a/2000", "model-a/2000", "model-b/2000", "model-c/2000");
        assertThat(queue.size()).as("nothing after the strategy that answered").isZero();
    }

    @Test
    void withoutAnOrderTheSeedsOrderAppliesToTheIngredientsGiven() {
        FallbackPolicy policy = FallbackPolicy.builder("llm")
                .cache(new ResultCache<String, String>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock), ctx -> "k")
                .queue(new InMemoryDeferredQueue<String>("later", 10), ctx -> "item")
                .degrade(ctx -> ctx).retry(retry()).providers("model-b").build();

        assertThat(policy.strategies()).containsExactly(RETRY, SWITCH_PROVIDER, DEGRADE_SERVICE, QUEUE_REQUEST, USE_CACHE);
    }

    @Test
    void retryAloneSaysRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(RETRY).retry(retry()).build();

        FallbackResult<String> result = policy.executeForResult(prompt("hi"), context -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "at last";
        });

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.RETRIED);
        assertThat(result.value()).isEqualTo("at last");
        assertThat(calls).hasValue(3);
    }

    @Test
    void degradeCallsAgainWithTheDegradedContextAndDoesNotCacheTheAnswer() throws Exception {
        down.add("model-a/2000");
        ResultCache<String, String> cache = new ResultCache<>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(DEGRADE_SERVICE, USE_CACHE)
                .degrade(ctx -> ctx.withTag("max_tokens", "500")).cache(cache, ctx -> ctx.tag("prompt").orElseThrow()).build();

        assertThat(policy.execute(prompt("hi"), llm)).isEqualTo("model-a/500: hi");
        assertThat(policy.count(FallbackResult.Outcome.DEGRADED)).isEqualTo(1);
        assertThat(cache.fresh("hi")).as("a degraded answer is not the last good one").isEmpty();
    }

    @Test
    void aQueuedCallThrowsItsTicketAndTheQueueHoldsWhatTheContextSaid() {
        down.add("model-a");
        InMemoryDeferredQueue<Map<String, String>> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackPolicy policy = FallbackPolicy.builder("llm").queue(queue, ExecutionContext::tags).build();

        assertThatThrownBy(() -> policy.execute(prompt("do it later"), llm))
                .isInstanceOfSatisfying(QueuedException.class, queued -> assertThat(queued.ticket()).isEqualTo(1))
                .hasCauseInstanceOf(IOException.class);
        assertThat(queue.peek(1)).extracting(DeferredQueue.Ticketed::item).containsExactly(Map.of("prompt", "do it later"));
    }

    @Test
    void aFullQueueIsNotedAndTheNextStrategyAnswers() throws Exception {
        down.add("model-a");
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 1);
        queue.offer("already waiting");
        ResultCache<String, String> cache = new ResultCache<>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        cache.put("hi", "cached answer");
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(QUEUE_REQUEST, USE_CACHE)
                .queue(queue, ctx -> "again").cache(cache, ctx -> ctx.tag("prompt").orElseThrow()).build();

        FallbackResult<String> result = policy.executeForResult(prompt("hi"), llm);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.CACHED);
        assertThat(result.trail()).element(1).asString().startsWith("QUEUE_REQUEST: QueueFullException");
    }

    @Test
    void circuitBreakEndsTheChainWithTheCallsOwnFailureAndLoadShedShedsIt() {
        down.add("model-a");
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackPolicy stop = FallbackPolicy.builder("stop").strategies(CIRCUIT_BREAK, QUEUE_REQUEST).queue(queue, ctx -> "x").build();
        FallbackPolicy shed = FallbackPolicy.builder("shed").strategies(LOAD_SHED).build();

        assertThatThrownBy(() -> stop.execute(prompt("hi"), llm)).isInstanceOf(IOException.class).hasMessage("model-a down");
        assertThat(queue.size()).as("nothing after CIRCUIT_BREAK is tried").isZero();
        assertThatThrownBy(() -> shed.execute(prompt("hi"), llm)).isInstanceOf(LoadShedException.class)
                .hasMessage("load shedder 'shed' shed a NORMAL call: after IOException model-a down");
    }

    @Test
    void theLoadShedderAdmitsByThePriorityTag() throws Exception {
        LoadShedder shedder = LoadShedder.of("llm", 2);
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(LOAD_SHED).loadShedder(shedder).build();
        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isTrue();

        FallbackResult<String> low = policy.executeForResult(prompt("hi").withTag("priority", "low"), llm);
        String high = policy.execute(prompt("hi").withTag("priority", "high"), llm);

        assertThat(low.outcome()).isEqualTo(FallbackResult.Outcome.SHED);
        assertThat(low.trail()).containsExactly("shed at admission");
        assertThat(high).isEqualTo("model-a/2000: hi");
        assertThat(shedder.inFlight()).as("the policy gave its slot back").isEqualTo(1);
    }

    @Test
    void inAPipelineEveryAttemptRunsThroughTheInnerPolicies() throws Exception {
        down.add("model-a");
        CircuitBreaker inner = CircuitBreaker.builder("inner").clock(clock).build();
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(RETRY, SWITCH_PROVIDER)
                .retry(retry()).providers("model-b").build();

        String answer = Pipeline.builder().add(policy, inner).clock(clock).build().execute(prompt("hi"), llm);

        assertThat(answer).isEqualTo("model-b/2000: hi");
        assertThat(inner.stats().totalCalls()).as("primary, the retry's two attempts, and model-b").isEqualTo(4);
    }

    @Test
    void theAsynchronousPathAppliesTheSameStrategies() throws Exception {
        down.add("model-a");
        ResultCache<String, String> cache = new ResultCache<>(10, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackPolicy policy = FallbackPolicy.builder("llm").strategies(SWITCH_PROVIDER, QUEUE_REQUEST)
                .providers("model-b").cache(cache, ctx -> ctx.tag("prompt").orElseThrow())
                .queue(queue, ctx -> ctx.tag("prompt").orElseThrow()).build();
        dev.bulwark.AsyncSupplier<String> async = ctx -> CompletableFuture.supplyAsync(() -> {
            try {
                return llm.get(ctx);
            } catch (Exception failure) {
                throw new java.util.concurrent.CompletionException(failure);
            }
        });

        String switched = policy.executeAsync(prompt("hi"), async).toCompletableFuture().get(10, TimeUnit.SECONDS);
        down.add("model-b");
        CompletableFuture<String> queued = policy.executeAsync(prompt("later"), async).toCompletableFuture();

        assertThat(switched).isEqualTo("model-b/2000: hi");
        assertThat(cache.fresh("hi")).contains("model-b/2000: hi");
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(QueuedException.class);
        assertThat(queue.peek(1)).extracting(DeferredQueue.Ticketed::item).containsExactly("later");
        FallbackResult<String> result = policy.executeForResultAsync(prompt("later"), async).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.QUEUED);
        assertThat(result.ticket()).hasValue(2);
    }

    @Test
    void errorsAndInterruptionsEndTheCallWithoutAnyFallback() {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        FallbackPolicy policy = FallbackPolicy.builder("llm").providers("model-b").queue(queue, ctx -> "x").build();

        assertThatThrownBy(() -> policy.execute(prompt("hi"), ctx -> {
            throw new AssertionError("bug");
        })).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> policy.execute(prompt("hi"), ctx -> {
            throw new InterruptedException("stop");
        })).isInstanceOf(InterruptedException.class);
        assertThat(queue.size()).isZero();
        assertThat(policy.count(FallbackResult.Outcome.SWITCHED)).isZero();
    }

    @Test
    void aStrategyWithoutItsIngredientNoStrategyOrARepeatedProviderIsRefusedAtBuild() {
        assertThatThrownBy(() -> FallbackPolicy.builder("llm").strategies(USE_CACHE).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fallback policy 'llm': strategies must be given its ingredient: call cache(...), was USE_CACHE");
        assertThatThrownBy(() -> FallbackPolicy.builder("llm").build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("fallback policy 'llm': strategies must be at least one");
        assertThatThrownBy(() -> FallbackPolicy.builder("llm").providers("b", "b"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("fallback policy 'llm': providers must be a non-blank name given once, was b");
    }
}
