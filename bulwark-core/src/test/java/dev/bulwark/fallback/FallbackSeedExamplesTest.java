package dev.bulwark.fallback;

import static dev.bulwark.fallback.FallbackStrategy.CIRCUIT_BREAK;
import static dev.bulwark.fallback.FallbackStrategy.DEGRADE_SERVICE;
import static dev.bulwark.fallback.FallbackStrategy.QUEUE_REQUEST;
import static dev.bulwark.fallback.FallbackStrategy.RETRY;
import static dev.bulwark.fallback.FallbackStrategy.SWITCH_PROVIDER;
import static dev.bulwark.fallback.FallbackStrategy.USE_CACHE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Seed 2's examples as a user would write them with the fallback policy: an exhausted API quota switches
 * provider, critical memory degrades the batch then queues, a database that is down is retried, served from the
 * cache, then cut off by its circuit; and the seed's chaos test.
 */
class FallbackSeedExamplesTest extends FakeLlmFixture {

    @Test
    void seedExampleExhaustedQuotaSwitchesToTheAlternativeWithoutCallingThePrimary() throws Exception {
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1)).build();
        resources.recordUsage(ResourceType.API_QUOTA, "model-a", 100);
        FallbackPolicy policy = FallbackPolicy.builder("llm")
                .resource(resources, ResourceType.API_QUOTA, ctx -> ctx.tag(FallbackPolicy.PROVIDER_TAG).orElse("model-a"))
                .strategies(RETRY, SWITCH_PROVIDER).retry(retry()).providers("model-b").build();

        FallbackResult<String> result = policy.executeForResult(prompt("hi"), llm);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(result.value()).isEqualTo("model-b/2000: hi");
        assertThat(result.trail()).containsExactly("resource api_quota/model-a constrained", "RETRY skipped: resource constrained",
                "provider model-b", "switched");
        assertThat(seen).containsExactly("model-b/2000");
    }

    @Test
    void aCallQueuedForAnExhaustedQuotaIsRunAgainFromItsTagsOnceTheQuotaRecovers(@org.junit.jupiter.api.io.TempDir
                                                                                  java.nio.file.Path dir) throws Exception {
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1)).build();
        resources.recordUsage(ResourceType.API_QUOTA, "model-a", 100);
        List<String> delivered = new ArrayList<>();
        try (DurableDeferredQueue<Map<String, String>> later = DurableDeferredQueue.open("later", dir.resolve("later.journal"),
                Codec.tags(), 100, 100)) {
            FallbackPolicy policy = FallbackPolicy.builder("llm")
                    .resource(resources, ResourceType.API_QUOTA, ctx -> "model-a")
                    .queue(later, ExecutionContext::tags).build();
            assertThatThrownBy(() -> policy.execute(prompt("summarise the week"), llm)).isInstanceOf(QueuedException.class);
            QueueDrainer<Map<String, String>> drainer = new QueueDrainer<>(later,
                    tags -> delivered.add(policy.execute(ExecutionContext.start(clock, tags), llm)), retry(),
                    () -> resources.canUse(ResourceType.API_QUOTA, "model-a"), Duration.ofMinutes(5), clock);
            drainer.start();

            clock.advance(Duration.ofMinutes(5));
            assertThat(delivered).as("quota still exhausted").isEmpty();
            clock.advance(Duration.ofHours(1));
            drainer.stop();

            assertThat(delivered).containsExactly("model-a/2000: summarise the week");
            assertThat(later.size()).isZero();
        }
    }

    @Test
    void seedExampleCriticalMemoryDegradesTheBatchThenQueues() throws Exception {
        double[] memoryPercent = {96};
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .readingCacheInterval(Duration.ofMillis(1)).gauge(ResourceType.MEMORY, () -> memoryPercent[0]).build();
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("files", 10);
        List<Integer> batches = new ArrayList<>();
        List<Integer> failing = new ArrayList<>();
        FallbackPolicy policy = FallbackPolicy.builder("process_large_file")
                .resource(resources, ResourceType.MEMORY, ctx -> "")
                .strategies(DEGRADE_SERVICE, QUEUE_REQUEST)
                .degrade(ctx -> ctx.withTag("batch_size", "1000"))
                .queue(queue, ctx -> ctx.tag("file").orElseThrow()).build();
        ContextualSupplier<String> process = ctx -> {
            int batch = Integer.parseInt(ctx.tag("batch_size").orElse("10000"));
            batches.add(batch);
            if (failing.contains(batch)) {
                throw new OutOfMemoryLikeException();
            }
            return "processed in batches of " + batch;
        };
        ExecutionContext file = ExecutionContext.start(clock, Map.of("file", "big.csv"));

        assertThat(policy.execute(file, process)).isEqualTo("processed in batches of 1000");
        failing.add(1000);
        assertThatThrownBy(() -> policy.execute(file, process)).isInstanceOf(QueuedException.class);
        memoryPercent[0] = 40;
        clock.advance(Duration.ofSeconds(1));
        assertThat(policy.execute(file, process)).isEqualTo("processed in batches of 10000");

        assertThat(batches).containsExactly(1000, 1000, 10000);
        assertThat(queue.peek(5)).extracting(DeferredQueue.Ticketed::item).containsExactly("big.csv");
    }

    @Test
    void seedExampleDatabaseDownRetriesThenServesTheCacheThenBreaksTheCircuit() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("users-db").clock(clock).countWindow(10).minimumNumberOfCalls(7).consecutiveFailureThreshold(6)
                .failureRateThreshold(50).build();
        ResultCache<String, String> cache = new ResultCache<>(100, Duration.ofMinutes(1), Duration.ofHours(1), clock);
        FallbackPolicy policy = FallbackPolicy.builder("get_user_data").strategies(RETRY, USE_CACHE, CIRCUIT_BREAK)
                .retry(retry()).cache(cache, ctx -> ctx.tag("user").orElseThrow()).circuitBreaker(breaker).build();
        AtomicInteger queries = new AtomicInteger();
        boolean[] databaseDown = {false};
        ContextualSupplier<String> query = ctx -> {
            queries.incrementAndGet();
            if (databaseDown[0]) {
                throw new IOException("connection refused");
            }
            return "row of " + ctx.tag("user").orElseThrow();
        };
        assertThat(policy.execute(user("alice"), query)).isEqualTo("row of alice");
        databaseDown[0] = true;
        queries.set(0);

        FallbackResult<String> cached = policy.executeForResult(user("alice"), query);
        assertThat(cached.outcome()).isEqualTo(FallbackResult.Outcome.CACHED);
        assertThat(cached.trail()).containsExactly("primary: IOException connection refused",
                "RETRY: IOException connection refused", "cache");
        assertThat(queries).as("the call and its retry").hasValue(3);

        assertThatThrownBy(() -> policy.execute(user("bob"), query)).isInstanceOf(IOException.class);
        assertThat(breaker.state()).isEqualTo(dev.bulwark.circuit.CircuitState.OPEN);
        queries.set(0);

        assertThat(policy.execute(user("alice"), query)).as("open circuit, still the cache").isEqualTo("row of alice");
        assertThatThrownBy(() -> policy.execute(user("bob"), query)).isInstanceOf(CircuitOpenException.class);
        assertThat(queries).as("the open circuit keeps the database uncalled").hasValue(0);
    }

    private ExecutionContext user(String id) {
        return ExecutionContext.start(clock, Map.of("user", id));
    }

    @Test
    void seedChaosTestExhaustedQuotaUnderBreakerAndRetryStillGivesTheFallbackAnswer() throws Exception {
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .quota(ResourceType.API_QUOTA, 1000, Duration.ofHours(1)).build();
        resources.recordUsage(ResourceType.API_QUOTA, "gpt-4", 1000);
        CircuitBreaker breaker = CircuitBreaker.builder("resilient_llm_call").clock(clock).consecutiveFailureThreshold(5).build();
        FallbackPolicy fallback = FallbackPolicy.builder("resilient_llm_call")
                .resource(resources, ResourceType.API_QUOTA, ctx -> "gpt-4")
                .providers("fallback-model").build();
        Pipeline resilient = Pipeline.builder().add(breaker, retry(), fallback).clock(clock).build();

        String answer = resilient.execute(prompt("test prompt"),
                ctx -> ctx.tag(FallbackPolicy.PROVIDER_TAG).orElse("gpt-4") + " answered");

        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("fallback");
        assertThat(breaker.stats().failedCalls()).isZero();
    }

    /** Stands for the failure of a batch too big for the memory left. */
    private static final class OutOfMemoryLikeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
