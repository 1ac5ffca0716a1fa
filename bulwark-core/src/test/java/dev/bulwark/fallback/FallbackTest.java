package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fallback.LoadShedder.Priority;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fallback's strategies one by one and in order, sync and async, alone and in a pipeline. */
class FallbackTest extends FakeLlmFixture {

    private ResultCache<String, String> cache() {
        return ResultCache.builder("cache").maxEntries(10).timeToLive(Duration.ofMinutes(1)).maxStaleness(Duration.ofHours(1)).clock(clock).build();
    }

    @Test
    void aHealthyCallIsServedCountedAndPublished() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b").build();
        List<Fallback.Event> events = new ArrayList<>();
        fallback.subscribe(events::add);

        assertThat(fallback.execute(prompt("hi"), llm)).isEqualTo("model-a/2000: hi");
        assertThat(fallback.count(FallbackResult.Outcome.SERVED)).isEqualTo(1);
        assertThat(events).singleElement().isEqualTo(new Fallback.Event.Served("llm", List.of("served")));
        assertThat(seen).containsExactly("model-a/2000");
    }

    @Test
    void listenersSeeTheTrailOfACallThatFellBack() throws Exception {
        down.add("model-a");
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b").build();
        List<Fallback.Event> events = new ArrayList<>();
        fallback.subscribe(events::add);

        assertThat(fallback.execute(prompt("hi"), llm)).isEqualTo("model-b/2000: hi");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
            assertThat(event.trail()).containsExactly("primary: IOException model-a down", "provider model-b", "switched");
        });
        assertThat(fallback.count(FallbackResult.Outcome.SWITCHED)).isEqualTo(1);
    }

    @Test
    void strategiesRunInTheGivenOrderEachAttemptThroughTheInnerRetry() throws Exception {
        down.addAll(List.of("model-a", "model-b"));
        FallbackStrategy<String> never = FallbackStrategy.answer("never used");
        Fallback<String> fallback = Fallback.<String>builder("llm")
                .strategies(FallbackStrategy.switchProvider(PROVIDER, "model-b", "model-c"), never).build();

        FallbackResult<String> result = fallback.executeForResult(prompt("hi"),
                ctx -> Pipeline.builder().add(retry()).clock(clock).build().execute(ctx, llm));

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(result.value()).isEqualTo("model-c/2000: hi");
        assertThat(result.trail()).containsExactly("primary: IOException model-a down",
                "provider model-b: IOException model-b down", "provider model-c", "switched");
        assertThat(seen).containsExactly("model-a/2000", "model-a/2000", "model-b/2000", "model-b/2000", "model-c/2000");
        assertThat(fallback.strategies()).endsWith(never);
    }

    @Test
    void withoutAnExplicitOrderTheStrategiesRunInTheDefaultOrder() {
        FallbackStrategy<String> shed = FallbackStrategy.shed();
        FallbackStrategy<String> value = FallbackStrategy.answer("x");
        Fallback<String> fallback = Fallback.<String>builder("llm").add(shed).add(value)
                .cache(cache(), ctx -> "k").degrade(ctx -> ctx).switchProvider(PROVIDER, "model-b").build();

        assertThat(fallback.strategies()).extracting(FallbackStrategy::outcome).containsExactly(FallbackResult.Outcome.SWITCHED,
                FallbackResult.Outcome.DEGRADED, FallbackResult.Outcome.CACHED, FallbackResult.Outcome.SUBSTITUTED,
                FallbackResult.Outcome.SHED);
        assertThat(fallback.strategies()).endsWith(value, shed);
    }

    @Test
    void aRetryInsideTheFallbackAnswersAsTheCallItself() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Fallback<String> fallback = Fallback.<String>builder("llm").add(FallbackStrategy.answer("fallback")).build();
        Pipeline pipeline = Pipeline.builder().add(fallback, retry()).clock(clock).build();

        String answer = pipeline.execute(prompt("hi"), context -> {
            if (calls.incrementAndGet() < 2) {
                throw new IOException("flaky");
            }
            return "at last";
        });

        assertThat(answer).isEqualTo("at last");
        assertThat(fallback.count(FallbackResult.Outcome.SERVED)).isEqualTo(1);
        assertThat(calls).hasValue(2);
    }

    @Test
    void degradeCallsAgainWithTheDegradedContextAndDoesNotCacheTheAnswer() throws Exception {
        down.add("model-a/2000");
        ResultCache<String, String> cache = cache();
        Fallback<String> fallback = Fallback.<String>builder("llm").degrade(ctx -> ctx.with(MAX_TOKENS, 500))
                .cache(cache, ctx -> ctx.get(PROMPT).orElseThrow()).build();

        FallbackResult<String> result = fallback.executeForResult(prompt("hi"), llm);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.DEGRADED);
        assertThat(result.value()).isEqualTo("model-a/500: hi");
        assertThat(result.trail()).containsExactly("primary: IOException model-a down", "degrade", "degraded");
        assertThat(cache.fresh("hi")).as("a degraded answer is not the last good one").isEmpty();
    }

    @Test
    void fullAnswersRefreshTheCacheWhichAnswersStaleWhenEverythingElseFails() throws Exception {
        ResultCache<String, String> cache = cache();
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b")
                .cache(cache, ctx -> ctx.get(PROMPT).orElseThrow()).build();
        down.add("model-a");
        fallback.execute(prompt("hi"), llm);
        assertThat(cache.fresh("hi")).as("an alternative's answer is a full answer").contains("model-b/2000: hi");
        clock.advance(Duration.ofMinutes(30));
        down.add("model-b");

        FallbackResult<String> result = fallback.executeForResult(prompt("hi"), llm);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.CACHED);
        assertThat(result.value()).isEqualTo("model-b/2000: hi");
        assertThat(result.error()).isNull();
        assertThat(cache.stats().staleHits()).isEqualTo(1);
        assertThat(fallback.executeForResult(prompt("other"), llm).trail()).contains("cache: nothing usable");
    }

    @Test
    void fallbackToAnswersWithAValueMadeFromTheFailure() throws Exception {
        down.add("model-a");
        Fallback<String> fallback = Fallback.<String>builder("llm")
                .add(FallbackStrategy.answerFrom(failure -> "sorry (" + failure.exception().getMessage() + ", "
                        + failure.context().get(PROMPT).orElseThrow() + ")")).build();

        FallbackResult<String> result = fallback.executeForResult(prompt("hi"), llm);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SUBSTITUTED);
        assertThat(result.value()).isEqualTo("sorry (model-a down, hi)");
    }

    @Test
    void shedEndsWithALoadShedExceptionOrAnswersItsValueAndNothingAfterItIsTried() throws Exception {
        down.add("model-a");
        FallbackStrategy<String> after = FallbackStrategy.answer("never");
        Fallback<String> reject = Fallback.<String>builder("shed").strategies(FallbackStrategy.shed(), after).build();
        Fallback<String> busy = Fallback.<String>builder("busy").add(FallbackStrategy.shedAnswering("busy, try later")).build();

        assertThatThrownBy(() -> reject.execute(prompt("hi").with(Priority.KEY, Priority.LOW), llm))
                .isInstanceOf(LoadShedException.class)
                .hasMessage("load shedder 'shed' shed a LOW call: after IOException model-a down");
        assertThat(reject.count(FallbackResult.Outcome.SHED)).isEqualTo(1);
        assertThat(busy.executeForResult(prompt("hi"), llm)).satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SHED);
            assertThat(result.value()).isEqualTo("busy, try later");
        });
    }

    @Test
    void aShedderInsideWhoseRefusalNoStrategyAnswersEndsAsShed() throws Exception {
        LoadShedder shedder = LoadShedder.of("llm", 2);
        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isTrue();
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b").build();
        Pipeline pipeline = Pipeline.builder().add(fallback, shedder).clock(clock).build();

        assertThatThrownBy(() -> pipeline.execute(prompt("hi").with(Priority.KEY, Priority.LOW), llm))
                .isInstanceOf(LoadShedException.class);
        String high = pipeline.execute(prompt("hi").with(Priority.KEY, Priority.HIGH), llm);

        assertThat(fallback.count(FallbackResult.Outcome.SHED)).isEqualTo(1);
        assertThat(high).isEqualTo("model-a/2000: hi");
        assertThat(shedder.inFlight()).as("every admitted call gave its slot back").isEqualTo(1);
        assertThat(seen).containsExactly("model-a/2000");
    }

    @Test
    void inAPipelineEveryAttemptRunsThroughTheInnerPolicies() throws Exception {
        down.add("model-a");
        CircuitBreaker inner = CircuitBreaker.builder("inner").clock(clock).build();
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b").build();

        String answer = Pipeline.builder().add(fallback, retry(), inner).clock(clock).build().execute(prompt("hi"), llm);

        assertThat(answer).isEqualTo("model-b/2000: hi");
        assertThat(inner.stats().totalCalls()).as("the primary's two attempts, and model-b").isEqualTo(3);
    }

    @Test
    void theAsynchronousPathAppliesTheSameStrategies() throws Exception {
        down.add("model-a");
        ResultCache<String, String> cache = cache();
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b")
                .cache(cache, ctx -> ctx.get(PROMPT).orElseThrow()).add(FallbackStrategy.answer("later")).build();
        AsyncSupplier<String> async = ctx -> CompletableFuture.supplyAsync(() -> {
            try {
                return llm.get(ctx);
            } catch (Exception failure) {
                throw new CompletionException(failure);
            }
        });

        String switched = fallback.executeAsync(prompt("hi"), async).toCompletableFuture().get(10, TimeUnit.SECONDS);
        down.add("model-b");
        FallbackResult<String> cached = fallback.executeForResultAsync(prompt("hi"), async).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        String substituted = fallback.executeAsync(prompt("new"), async).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(switched).isEqualTo("model-b/2000: hi");
        assertThat(cached.outcome()).isEqualTo(FallbackResult.Outcome.CACHED);
        assertThat(cached.trail()).containsExactly("primary: IOException model-a down", "provider model-b: IOException model-b down",
                "cached");
        assertThat(substituted).isEqualTo("later");
        assertThat(fallback.count(FallbackResult.Outcome.SWITCHED)).isEqualTo(1);
        assertThat(fallback.count(FallbackResult.Outcome.SUBSTITUTED)).isEqualTo(1);
    }
}
