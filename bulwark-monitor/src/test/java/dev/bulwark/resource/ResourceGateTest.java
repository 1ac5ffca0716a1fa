package dev.bulwark.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.LoadShedder;
import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The resource-aware parts that plug into the kernel: the gate before a call, and the pressure a shedder watches. */
class ResourceGateTest {

    private static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);

    private final ManualClock clock = new ManualClock();
    private final ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
            .quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1)).build();
    private final ResourceGate gate = ResourceGate.of("quota", resources, ResourceType.API_QUOTA,
            ctx -> ctx.getOrDefault(PROVIDER, "model-a"));
    private final List<String> called = new CopyOnWriteArrayList<>();

    private String call(ExecutionContext context) {
        String provider = context.getOrDefault(PROVIDER, "model-a");
        called.add(provider);
        return provider + " answered";
    }

    @Test
    void aConstrainedResourceRefusesTheCallSyncAndAsyncAndAHealthyOneLetsItThrough() throws Exception {
        assertThat(gate.execute(ExecutionContext.detached(), this::call)).isEqualTo("model-a answered");
        resources.recordUsage(ResourceType.API_QUOTA, "model-a", 95);

        assertThatThrownBy(() -> gate.execute(ExecutionContext.detached(), this::call))
                .isInstanceOfSatisfying(ResourceUnavailableException.class, refused -> {
                    assertThat(refused.resource()).isEqualTo(ResourceType.API_QUOTA);
                    assertThat(refused.key()).isEqualTo("model-a");
                    assertThat(refused.status()).isEqualTo("CRITICAL");
                })
                .hasMessage("resource gate 'quota': resource api_quota/model-a is CRITICAL");
        CompletableFuture<String> async = gate.executeAsync(ExecutionContext.detached(),
                ctx -> CompletableFuture.completedFuture(call(ctx))).toCompletableFuture();
        assertThatThrownBy(() -> async.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ResourceUnavailableException.class);
        assertThat(called).containsExactly("model-a");
    }

    @Test
    void insideAFallbackAConstrainedResourceIsAFailureItHandlesAndEachAlternativeIsCheckedUnderItsName() throws Exception {
        resources.recordUsage(ResourceType.API_QUOTA, "model-a", 95);
        resources.recordUsage(ResourceType.API_QUOTA, "model-b", 99);
        Fallback<String> fallback = Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b", "model-c").build();

        FallbackResult<String> result = fallback.executeForResult(ExecutionContext.start(clock),
                ctx -> Pipeline.of(gate).execute(ctx, this::call));

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(result.value()).isEqualTo("model-c answered");
        assertThat(result.trail()).containsExactly(
                "primary: ResourceUnavailableException resource gate 'quota': resource api_quota/model-a is CRITICAL",
                "provider model-b: ResourceUnavailableException resource gate 'quota': resource api_quota/model-b is CRITICAL",
                "provider model-c", "switched");
        assertThat(called).containsExactly("model-c");
    }

    @Test
    void aStrainedResourceShedsByPriority() throws Exception {
        double[] usage = {75};
        ResourceMonitor monitor = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .gauge(ResourceType.API_QUOTA, () -> usage[0]).readingCacheInterval(Duration.ZERO).build();
        LoadShedder shedder = LoadShedder.of("llm", 100).watching(monitor.pressure(ResourceType.API_QUOTA, ""));

        assertThatThrownBy(() -> shedder.execute(priority(Priority.LOW), context -> "x"))
                .hasMessage("load shedder 'llm' shed a LOW call: resource api_quota is WARNING");
        String ok = shedder.execute(priority(Priority.NORMAL), context -> "ok");
        assertThat(ok).isEqualTo("ok");
        usage[0] = 95;
        assertThat(shedder.tryAcquire(Priority.NORMAL)).isFalse();
        assertThat(shedder.tryAcquire(Priority.HIGH)).isTrue();
        usage[0] = 100;
        assertThat(shedder.tryAcquire(Priority.HIGH)).isFalse();
        assertThat(shedder.tryAcquire(Priority.CRITICAL)).isTrue();
    }

    private static ExecutionContext priority(Priority priority) {
        return ExecutionContext.detached().with(Priority.KEY, priority);
    }
}
