package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.fallback.FakeLlmFixture;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.QueuedException;
import dev.bulwark.fallback.ResultCache;
import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueDrainer;
import dev.bulwark.queue.QueueForLater;
import dev.bulwark.resource.ResourceGate;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 2's examples as a user would write them: a fallback composed in a pipeline with a resource gate, a retry and
 * a circuit breaker. An exhausted API quota switches provider; critical memory degrades the batch then queues; a
 * database that is down is retried, served from the cache, then cut off by its circuit; and the seed's chaos test.
 */
class FallbackSeedExamplesTest extends FakeLlmFixture {

    private static final ExecutionContext.Key<String> FILE = ExecutionContext.Key.of("file", String.class);
    private static final ExecutionContext.Key<Integer> BATCH_SIZE = ExecutionContext.Key.of("batch_size", Integer.class);
    private static final ExecutionContext.Key<String> USER = ExecutionContext.Key.of("user", String.class);

    private ResourceMonitor exhaustedQuota(String provider, int limit) {
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .quota(ResourceType.API_QUOTA, limit, Duration.ofHours(1)).build();
        resources.recordUsage(ResourceType.API_QUOTA, provider, limit);
        return resources;
    }

    private static ResourceGate quotaGate(ResourceMonitor resources, String defaultProvider) {
        return ResourceGate.of("llm-quota", resources, ResourceType.API_QUOTA, ctx -> ctx.getOrDefault(PROVIDER, defaultProvider));
    }

    @Test
    void seedExampleExhaustedQuotaSwitchesToTheAlternativeWithoutCallingThePrimary() throws Exception {
        ResourceMonitor resources = exhaustedQuota("model-a", 100);
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b").build();
        Pipeline inside = Pipeline.builder().add(retry(), quotaGate(resources, "model-a")).clock(clock).build();

        FallbackResult<String> result = fallback.executeForResult(prompt("hi"), ctx -> inside.execute(ctx, llm));

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(result.value()).isEqualTo("model-b/2000: hi");
        assertThat(result.trail()).containsExactly(
                "primary: ResourceUnavailableException resource gate 'llm-quota': resource api_quota/model-a is EXHAUSTED",
                "provider model-b", "switched");
        assertThat(seen).as("the exhausted primary neither called nor retried").containsExactly("model-b/2000");
    }

    @Test
    void aCallQueuedForAnExhaustedQuotaSurvivesARestartAndRunsAgainFromItsContextOnceTheQuotaRecovers(@TempDir Path dir)
            throws Exception {
        ResourceMonitor resources = exhaustedQuota("model-a", 100);
        Path journal = dir.resolve("later.journal");
        DeferredQueue.Codec<ExecutionContext> codec = DeferredQueue.Codec.contextValues(PROMPT, PROVIDER);
        try (DeferredQueue<ExecutionContext> later = DeferredQueue.<ExecutionContext>builder("later").journal(journal, codec).capacity(100).compactAfter(100).build()) {
            Fallback<String> fallback = Fallback.<String>builder("llm").add(QueueForLater.into(later, ctx -> ctx)).build();
            Pipeline pipeline = Pipeline.builder().add(fallback, quotaGate(resources, "model-a")).clock(clock).build();
            assertThatThrownBy(() -> pipeline.execute(prompt("summarise the week"), llm)).isInstanceOf(QueuedException.class);
        }
        List<String> delivered = new ArrayList<>();
        Pipeline gated = Pipeline.builder().add(quotaGate(resources, "model-a")).clock(clock).build();
        try (DeferredQueue<ExecutionContext> reopened = DeferredQueue.<ExecutionContext>builder("later").journal(journal, codec).capacity(100).compactAfter(100).build()) {
            QueueDrainer<ExecutionContext> drainer = QueueDrainer.builder(reopened,
                    queued -> delivered.add(gated.execute(queued, llm))).guard(retry())
                    .ready(() -> resources.canUse(ResourceType.API_QUOTA, "model-a")).interval(Duration.ofMinutes(5))
                    .scheduler(clock).build();
            drainer.start();

            clock.advance(Duration.ofMinutes(5));
            assertThat(delivered).as("quota still exhausted").isEmpty();
            clock.advance(Duration.ofHours(1));
            drainer.stop();

            assertThat(delivered).containsExactly("model-a/2000: summarise the week");
            assertThat(reopened.size()).isZero();
        }
    }

    @Test
    void seedExampleCriticalMemoryDegradesTheBatchThenQueues() throws Exception {
        double[] memoryPercent = {96};
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .readingCacheInterval(Duration.ofMillis(1)).gauge(ResourceType.MEMORY, () -> memoryPercent[0]).build();
        DeferredQueue<String> queue = DeferredQueue.inMemory("files", 10);
        List<Integer> batches = new ArrayList<>();
        List<Integer> failing = new ArrayList<>();
        Fallback<String> fallback = Fallback.<String>builder("process_large_file")
                .degrade(ctx -> ctx.with(BATCH_SIZE, 1000))
                .add(QueueForLater.into(queue, ctx -> ctx.get(FILE).orElseThrow())).build();
        ResourceGate memory = ResourceGate.of("memory", resources, ResourceType.MEMORY, ctx -> "")
                .unless(ctx -> ctx.get(BATCH_SIZE).isPresent());
        Pipeline pipeline = Pipeline.builder().add(fallback, memory).clock(clock).build();
        ContextualSupplier<String> process = ctx -> {
            int batch = ctx.getOrDefault(BATCH_SIZE, 10_000);
            batches.add(batch);
            if (failing.contains(batch)) {
                throw new OutOfMemoryLikeException();
            }
            return "processed in batches of " + batch;
        };
        ExecutionContext file = ExecutionContext.start(clock).with(FILE, "big.csv");

        assertThat(pipeline.execute(file, process)).isEqualTo("processed in batches of 1000");
        failing.add(1000);
        assertThatThrownBy(() -> pipeline.execute(file, process)).isInstanceOf(QueuedException.class);
        memoryPercent[0] = 40;
        clock.advance(Duration.ofSeconds(1));
        assertThat(pipeline.execute(file, process)).isEqualTo("processed in batches of 10000");

        assertThat(batches).containsExactly(1000, 1000, 10000);
        assertThat(queue.peek(5)).extracting(DeferredQueue.Ticketed::item).containsExactly("big.csv");
        assertThat(fallback.count(FallbackResult.Outcome.DEGRADED)).isEqualTo(1);
        assertThat(fallback.count(FallbackResult.Outcome.QUEUED)).isEqualTo(1);
        assertThat(fallback.count(FallbackResult.Outcome.SERVED)).isEqualTo(1);
    }

    @Test
    void seedExampleDatabaseDownRetriesThenServesTheCacheThenBreaksTheCircuit() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("users-db").clock(clock).consecutiveFailureThreshold(2).build();
        ResultCache<String, String> cache = ResultCache.builder("cache").maxEntries(100).timeToLive(Duration.ofMinutes(1)).maxStaleness(Duration.ofHours(1)).clock(clock).build();
        Fallback<String> fallback = Fallback.<String>builder("get_user_data").cache(cache, ctx -> ctx.get(USER).orElseThrow()).build();
        Pipeline pipeline = Pipeline.builder().add(fallback, breaker, retry()).clock(clock).build();
        AtomicInteger queries = new AtomicInteger();
        boolean[] databaseDown = {false};
        ContextualSupplier<String> query = ctx -> {
            queries.incrementAndGet();
            if (databaseDown[0]) {
                throw new IOException("connection refused");
            }
            return "row of " + ctx.get(USER).orElseThrow();
        };
        assertThat(pipeline.execute(user("alice"), query)).isEqualTo("row of alice");
        databaseDown[0] = true;
        queries.set(0);

        FallbackResult<String> cached = fallback.executeForResult(user("alice"),
                ctx -> Pipeline.builder().add(breaker, retry()).clock(clock).build().execute(ctx, query));
        assertThat(cached.outcome()).isEqualTo(FallbackResult.Outcome.CACHED);
        assertThat(cached.trail()).containsExactly("primary: IOException connection refused", "cached");
        assertThat(queries).as("the call and its retry").hasValue(2);

        assertThatThrownBy(() -> pipeline.execute(user("bob"), query)).isInstanceOf(IOException.class);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        queries.set(0);

        assertThat(pipeline.execute(user("alice"), query)).as("open circuit, still the cache").isEqualTo("row of alice");
        assertThatThrownBy(() -> pipeline.execute(user("bob"), query)).isInstanceOf(CircuitOpenException.class);
        assertThat(queries).as("the open circuit keeps the database uncalled").hasValue(0);
    }

    private ExecutionContext user(String id) {
        return ExecutionContext.start(clock).with(USER, id);
    }

    @Test
    void seedChaosTestExhaustedQuotaUnderBreakerAndRetryStillGivesTheFallbackAnswer() throws Exception {
        ResourceMonitor resources = exhaustedQuota("gpt-4", 1000);
        CircuitBreaker breaker = CircuitBreaker.builder("resilient_llm_call").clock(clock).consecutiveFailureThreshold(5).build();
        Fallback<String> fallback = Fallback.<String>builder("resilient_llm_call").switchProvider(PROVIDER, "fallback-model").build();
        Pipeline resilient = Pipeline.builder().add(breaker, retry(), fallback, quotaGate(resources, "gpt-4")).clock(clock).build();

        String answer = resilient.execute(prompt("test prompt"), ctx -> ctx.getOrDefault(PROVIDER, "gpt-4") + " answered");

        assertThat(answer.toLowerCase(Locale.ROOT)).contains("fallback");
        assertThat(breaker.stats().failedCalls()).isZero();
    }

    /** Stands for the failure of a batch too big for the memory left. */
    private static final class OutOfMemoryLikeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
