package dev.bulwark.fallback;

import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the fallback policy tests call: a stand-in for an LLM client that reads its provider and token budget
 * from the context, and fails while its provider (or provider/tokens) is marked down.
 */
abstract class FakeLlmFixture {

    final ManualClock clock = new ManualClock();
    final List<String> down = new CopyOnWriteArrayList<>();
    final List<String> seen = new CopyOnWriteArrayList<>();

    /** Answers "provider/tokens: prompt", or fails with an IOException while its provider is down. */
    final ContextualSupplier<String> llm = context -> {
        String provider = context.tag(FallbackPolicy.PROVIDER_TAG).orElse("model-a");
        String tokens = context.tag("max_tokens").orElse("2000");
        seen.add(provider + "/" + tokens);
        if (down.contains(provider) || down.contains(provider + "/" + tokens)) {
            throw new IOException(provider + " down");
        }
        return provider + "/" + tokens + ": " + context.tag("prompt").orElse("");
    };

    ExecutionContext prompt(String text) {
        return ExecutionContext.start(clock, Map.of("prompt", text));
    }

    Retry retry() {
        return Retry.builder("llm").maxRetries(1).backoff(Backoff.fixed(Duration.ofSeconds(1))).clockAndScheduler(clock).build();
    }
}
