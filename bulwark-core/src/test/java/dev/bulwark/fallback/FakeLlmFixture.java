package dev.bulwark.fallback;

import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the fallback tests call: a stand-in for an LLM client that reads its provider and token budget from typed
 * context keys, and fails while its provider (or provider/tokens) is marked down.
 */
public abstract class FakeLlmFixture {

    public static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
    public static final ExecutionContext.Key<Integer> MAX_TOKENS = ExecutionContext.Key.of("max_tokens", Integer.class);
    public static final ExecutionContext.Key<String> PROMPT = ExecutionContext.Key.of("prompt", String.class);

    protected final ManualClock clock = new ManualClock();
    protected final List<String> down = new CopyOnWriteArrayList<>();
    protected final List<String> seen = new CopyOnWriteArrayList<>();

    /** Answers "provider/tokens: prompt", or fails with an IOException while its provider is down. */
    protected final ContextualSupplier<String> llm = context -> {
        String provider = context.getOrDefault(PROVIDER, "model-a");
        int tokens = context.getOrDefault(MAX_TOKENS, 2000);
        seen.add(provider + "/" + tokens);
        if (down.contains(provider) || down.contains(provider + "/" + tokens)) {
            throw new IOException(provider + " down");
        }
        return provider + "/" + tokens + ": " + context.getOrDefault(PROMPT, "");
    };

    protected ExecutionContext prompt(String text) {
        return ExecutionContext.start(clock).with(PROMPT, text);
    }

    protected Retry retry() {
        return Retry.builder("llm").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1))).clockAndScheduler(clock).build();
    }
}
