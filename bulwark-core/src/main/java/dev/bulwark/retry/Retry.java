package dev.bulwark.retry;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;

/**
 * Runs a call again when it fails in a way worth retrying, waiting a {@link Backoff} between attempts.
 *
 * <pre>{@code
 * Retry retry = Retry.builder("inventory")
 *         .maxRetries(3)
 *         .backoff(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)))
 *         .retryOn(e -> e instanceof IOException)
 *         .budget(RetryBudget.ofDefaults())
 *         .build();
 * }</pre>
 *
 * <p>Each attempt sees the execution context with its attempt number. An attempt that could not finish
 * before the context's deadline is not started. Synchronous calls wait through the configured
 * {@link dev.bulwark.time.Scheduler} ({@code sleep}), asynchronous ones are re-started by it without
 * blocking a thread. When retries run out, the last exception is rethrown unchanged (or the last
 * result returned). A first attempt that succeeds takes no lock and allocates nothing.
 * This interface's implementation is thread-safe.
 */
public interface Retry extends Policy, EventSource<RetryEvent> {

    /** A builder for a retry called {@code name}. */
    static RetryConfig.Builder builder(String name) {
        return RetryConfig.builder(name);
    }

    /** A retry with the given config. */
    static Retry of(RetryConfig config) {
        return new DefaultRetry(config);
    }

    /** This retry's settings. */
    RetryConfig config();

    /** Counts since creation. */
    RetryStats stats();

    @Override
    default Class<? extends Component> kind() {
        return Retry.class;
    }
}
