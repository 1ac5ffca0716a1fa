package dev.bulwark.queue;

import dev.bulwark.ExecutionContext;
import dev.bulwark.fallback.Failure;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.FallbackStrategy;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The fallback strategy that puts a failed call aside for later: it offers the item {@code itemOfContext} makes of
 * the call's context to a {@link DeferredQueue}, reported as QUEUED with the queue's ticket (as a policy, the
 * fallback throws a {@link dev.bulwark.fallback.QueuedException} carrying it). A queue that refuses the item (full,
 * closed, an I/O failure) passes to the next strategy with that failure noted; an item function that throws or
 * returns null ends the execution with its exception. With a durable queue (one given a journal), the item is on disk
 * before the ticket is returned; {@link DeferredQueue.Codec#contextValues} keeps chosen context values, so a {@link QueueDrainer}
 * can run the call again as it was. Thread-safe if the queue and the function are.
 *
 * <pre>{@code
 * QueueForLater.into(queue, ctx -> ctx)   // with DeferredQueue.Codec.contextValues(PROMPT, TEAM) for a durable queue
 * }</pre>
 *
 * @param <T> the result type of the fallback
 * @param <I> the queue's item type
 */
public final class QueueForLater<T, I> implements FallbackStrategy<T> {
    private final DeferredQueue<I> queue;
    private final Function<ExecutionContext, ? extends I> itemOfContext;

    private QueueForLater(DeferredQueue<I> queue, Function<ExecutionContext, ? extends I> itemOfContext) {
        this.queue = queue;
        this.itemOfContext = itemOfContext;
    }

    /** Queues into {@code queue} what {@code itemOfContext} makes of a failed call's context. */
    public static <T, I> QueueForLater<T, I> into(DeferredQueue<I> queue, Function<ExecutionContext, ? extends I> itemOfContext) {
        return new QueueForLater<>(Objects.requireNonNull(queue, "queue"), Objects.requireNonNull(itemOfContext, "itemOfContext"));
    }

    @Override
    public FallbackResult.Outcome outcome() {
        return FallbackResult.Outcome.QUEUED;
    }

    @Override
    public CompletionStage<Step<T>> apply(Failure<T> failure) {
        I item = Objects.requireNonNull(itemOfContext.apply(failure.context()), "the queue item function returned null");
        long ticket;
        try {
            ticket = queue.offer(item);
        } catch (RuntimeException refused) {
            return CompletableFuture.completedFuture(failure.pass("queue", refused));
        }
        return CompletableFuture.completedFuture(failure.queued(ticket));
    }

    @Override
    public String toString() {
        return "QueueForLater";
    }
}
