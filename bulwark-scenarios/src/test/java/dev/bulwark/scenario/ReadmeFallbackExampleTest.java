package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.RejectedException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.QueuedException;
import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueForLater;
import dev.bulwark.resource.ResourceGate;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.Clock;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's fallback example, as written (the journal in a temporary directory, a fake client), so it cannot rot. */
class ReadmeFallbackExampleTest {

    static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
    static final ExecutionContext.Key<Integer> MAX_TOKENS = ExecutionContext.Key.of("max_tokens", Integer.class);
    static final ExecutionContext.Key<String> PROMPT = ExecutionContext.Key.of("prompt", String.class);

    /** Stands for an LLM client: answers while its provider is up and the budget fits. */
    static final class FakeClient {
        final List<String> down = new CopyOnWriteArrayList<>();
        final List<String> asked = new CopyOnWriteArrayList<>();

        String ask(String provider, String prompt, int maxTokens) throws IOException {
            asked.add(provider + "/" + maxTokens);
            if (down.contains(provider) || down.contains(provider + "/" + maxTokens)) {
                throw new IOException(provider + " down");
            }
            return provider + " (" + maxTokens + "): " + prompt;
        }
    }

    @Test
    void theReadmeFallbackExampleSwitchesDegradesAndQueuesAsItSays(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock();
        ResourceMonitor resources = ResourceMonitor.builder("app").clockAndScheduler(clock).systemReadings(false)
                .quota(ResourceType.API_QUOTA, 100, Duration.ofHours(1)).build();
        CircuitBreaker breaker = CircuitBreaker.builder("llm").clock(clock).build();
        Retry retry = Retry.builder("llm").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1))).clockAndScheduler(clock).build();
        FakeClient client = new FakeClient();
        String prompt = "summarise the week";

        DeferredQueue<ExecutionContext> later = DeferredQueue.<ExecutionContext>builder("llm-later")
                .journal(dir.resolve("llm-later.journal"), DeferredQueue.Codec.contextValues(PROMPT)).build();  // the prompt, on disk
        Fallback<String> fallback = Fallback.<String>builder("llm")
                .handle(IOException.class, RejectedException.class)     // default: every Exception
                .handleResult(String::isBlank)                           // an empty answer falls back too
                .switchProvider(PROVIDER, "claude", "gemini")            // SWITCH_PROVIDER: the call again, provider=claude, gemini
                .degrade(ctx -> ctx.with(MAX_TOKENS, 500))               // DEGRADE_SERVICE: the call again, fewer tokens
                .add(QueueForLater.into(later, ctx -> ctx))              // QUEUE_REQUEST: on disk, QueuedException(ticket)
                .build();                                                // order: the seed's, whatever the order of the calls
        ResourceGate quota = ResourceGate.of("llm-quota", resources, ResourceType.API_QUOTA,
                ctx -> ctx.getOrDefault(PROVIDER, "gpt-4"));             // a constrained quota refuses the call
        Pipeline llm = Pipeline.of(breaker, retry, fallback, quota);    // CIRCUIT_BREAK and RETRY are policies of their own
        String answer = llm.execute(ExecutionContext.start(Clock.system()).with(PROMPT, prompt), ctx -> client.ask(
                ctx.getOrDefault(PROVIDER, "gpt-4"), ctx.get(PROMPT).orElseThrow(), ctx.getOrDefault(MAX_TOKENS, 2000)));

        assertThat(answer).isEqualTo("gpt-4 (2000): summarise the week");
        resources.recordUsage(ResourceType.API_QUOTA, "gpt-4", 100);
        client.down.add("claude");
        assertThat(llm.<String>execute(ExecutionContext.detached().with(PROMPT, "p"), ctx -> client.ask(
                ctx.getOrDefault(PROVIDER, "gpt-4"), ctx.get(PROMPT).orElseThrow(), ctx.getOrDefault(MAX_TOKENS, 2000))))
                .as("exhausted quota, claude down: gemini").isEqualTo("gemini (2000): p");
        client.down.addAll(List.of("gemini", "gpt-4/2000", "claude/500", "gemini/500"));
        clock.advance(Duration.ofHours(2));                             // the quota window has passed
        assertThat(llm.<String>execute(ExecutionContext.detached().with(PROMPT, "p"), ctx -> client.ask(
                ctx.getOrDefault(PROVIDER, "gpt-4"), ctx.get(PROMPT).orElseThrow(), ctx.getOrDefault(MAX_TOKENS, 2000))))
                .as("every provider down at full size: the degraded call").isEqualTo("gpt-4 (500): p");
        client.down.add("gpt-4");
        assertThatThrownBy(() -> llm.execute(ExecutionContext.detached().with(PROMPT, "q"), ctx -> client.ask(
                ctx.getOrDefault(PROVIDER, "gpt-4"), ctx.get(PROMPT).orElseThrow(), ctx.getOrDefault(MAX_TOKENS, 2000))))
                .isInstanceOf(QueuedException.class);
        assertThat(later.peek(5)).singleElement().satisfies(queued -> assertThat(queued.item().get(PROMPT)).contains("q"));
        later.close();
    }
}
