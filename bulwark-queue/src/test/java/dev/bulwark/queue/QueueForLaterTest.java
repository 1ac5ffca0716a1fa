package dev.bulwark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.RejectedException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackStrategy;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.QueuedException;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The queue-for-later strategy: a failed call's item goes into the queue and the caller gets its ticket. */
class QueueForLaterTest {

    private static final ExecutionContext.Key<String> PROMPT = ExecutionContext.Key.of("prompt", String.class);

    private static String down(ExecutionContext context) throws IOException {
        throw new IOException("model-a down");
    }

    @Test
    void aQueuedCallThrowsItsTicketCausedByTheFailureAndTheQueueHoldsWhatTheContextSaid() throws Exception {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        Fallback<String> fallback = Fallback.<String>builder("llm")
                .add(QueueForLater.into(queue, ctx -> ctx.get(PROMPT).orElseThrow())).build();

        assertThatThrownBy(() -> fallback.execute(ExecutionContext.detached().with(PROMPT, "do it later"), QueueForLaterTest::down))
                .isInstanceOfSatisfying(QueuedException.class, queued -> assertThat(queued.ticket()).isEqualTo(1))
                .hasMessage("fallback 'llm' queued the call as ticket 1")
                .hasCauseInstanceOf(IOException.class);
        FallbackResult<String> result = fallback.executeForResult(ExecutionContext.detached().with(PROMPT, "and this"),
                QueueForLaterTest::down);

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.QUEUED);
        assertThat(result.ticket()).hasValue(2);
        assertThat(result.trail()).containsExactly("primary: IOException model-a down", "queued");
        assertThat(queue.peek(5)).extracting(DeferredQueue.Ticketed::item).containsExactly("do it later", "and this");
        assertThat(fallback.count(FallbackResult.Outcome.QUEUED)).isEqualTo(2);
    }

    @Test
    void aFullQueueIsNotedAndTheNextStrategyAnswers() throws Exception {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 1);
        queue.offer("already waiting");
        Fallback<String> fallback = Fallback.<String>builder("llm").add(FallbackStrategy.answer("sorry"))
                .add(QueueForLater.into(queue, ctx -> "again")).build();

        FallbackResult<String> result = fallback.executeForResult(ExecutionContext.detached(), QueueForLaterTest::down);

        assertThat(fallback.strategies()).extracting(Object::toString).as("the queue before the value, by default")
                .containsExactly("QueueForLater", "Substitute");
        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SUBSTITUTED);
        assertThat(result.trail()).containsExactly("primary: IOException model-a down",
                "queue: QueueFullException deferred queue 'later' is full (1 items)", "substituted");
    }

    @Test
    void aQueuedCallIsARejectionThatARetryOutsideDoesNotQueueAgainAndABreakerOutsideDoesNotCount() {
        ManualClock clock = new ManualClock();
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        Fallback<String> fallback = Fallback.<String>builder("llm").add(QueueForLater.into(queue, ctx -> "item")).build();
        CircuitBreaker breaker = CircuitBreaker.builder("llm").clock(clock).build();
        Pipeline pipeline = Pipeline.builder().add(breaker, Retry.builder("llm").clockAndScheduler(clock).build(), fallback)
                .clock(clock).build();

        assertThatThrownBy(() -> pipeline.execute(ExecutionContext.detached(), QueueForLaterTest::down))
                .isInstanceOf(QueuedException.class).isInstanceOf(RejectedException.class);

        assertThat(queue.size()).as("queued once, not once per retry").isEqualTo(1);
        assertThat(breaker.stats().failedCalls()).isZero();
    }
}
