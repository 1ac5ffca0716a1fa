package dev.bulwark.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.time.ManualClock;
import dev.bulwark.timeout.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Adapters with no policy of their own are called directly under a permit of the global limit, without a pipeline;
 * adapters with policies go through their pipeline. Both kinds share the one limit, every permit comes back however
 * the call ends, and deadline, cancellation and shutdown treat both alike.
 */
class FanOutDirectCallTest {

    private final ManualClock clock = new ManualClock();
    /** Every call started, in order: completing one lets the test end that call. */
    private final List<CompletableFuture<String>> held = new CopyOnWriteArrayList<>();

    /** An adapter whose every call waits until the test completes it. */
    private Adapter<String, String> holding(String name) {
        return Adapter.async(name, (request, context) -> {
            CompletableFuture<String> call = new CompletableFuture<>();
            held.add(call);
            return call;
        });
    }

    private FanOut.Builder<String, String> builder() {
        return FanOut.<String, String>builder("direct").clockAndScheduler(clock);
    }

    @Test
    void directAndPipelinedAdaptersShareTheGlobalLimitAndTheNextCallWaitsForAFreedPermit() {
        FanOut<String, String> fanOut = builder().maxConcurrentAdapters(2)
                .adapter(holding("direct-1"))
                .adapter(holding("own-policy"), Timeout.builder("own-policy", Duration.ofDays(1)).clockAndScheduler(clock).build())
                .adapter(holding("direct-2"))
                .build();

        CompletionStage<FanOutResult<String>> answer = fanOut.executeAsync("q");

        assertThat(held).as("the third call waits: two permits, both held").hasSize(2);
        held.get(0).complete("one");
        assertThat(held).as("the freed permit goes to the waiting call").hasSize(3);
        held.get(1).complete("two");
        held.get(2).complete("three");
        assertThat(answer.toCompletableFuture().join().values()).containsExactly("one", "two", "three");
        assertThat(fanOut.inFlight()).isZero();
    }

    @Test
    void aCallThatThrowsFailsOrReturnsNoStageGivesItsPermitBack() {
        FanOut<String, String> fanOut = builder().maxConcurrentAdapters(1)
                .adapter(Adapter.async("throws", (request, context) -> {
                    throw new IllegalStateException("refused while starting");
                }))
                .adapter(Adapter.async("no-stage", (request, context) -> null))
                .adapter(Adapter.async("fails", (request, context) -> CompletableFuture.failedFuture(new IllegalStateException("down"))))
                .adapter(holding("answers"))
                .build();

        CompletionStage<FanOutResult<String>> answer = fanOut.executeAsync("q");
        assertThat(held).as("the last adapter got the only permit: none was kept by a failed call").hasSize(1);
        held.get(0).complete("ok");

        List<AdapterResult<String>> results = answer.toCompletableFuture().join().results();
        assertThat(results).extracting(AdapterResult::status).containsExactly(AdapterResult.Status.FAILED,
                AdapterResult.Status.FAILED, AdapterResult.Status.FAILED, AdapterResult.Status.SUCCEEDED);
        assertThat(results.get(0).error()).hasMessage("refused while starting");
        assertThat(results.get(1).error()).isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
    }

    @Test
    void aCallAbandonedAtTheDeadlineIsCancelledAndGivesItsPermitToTheNextRequest() {
        FanOut<String, String> fanOut = builder().maxConcurrentAdapters(1).timeout(Duration.ofSeconds(5))
                .adapter(holding("stuck")).build();

        CompletionStage<FanOutResult<String>> first = fanOut.executeAsync("q1");
        clock.advance(Duration.ofSeconds(5));

        assertThat(first.toCompletableFuture().join().results().get(0).status()).isEqualTo(AdapterResult.Status.TIMED_OUT);
        assertThat(held.get(0)).isCancelled();
        CompletionStage<FanOutResult<String>> second = fanOut.executeAsync("q2");
        assertThat(held).as("the second request's call started at once").hasSize(2);
        held.get(1).complete("answer");
        assertThat(second.toCompletableFuture().join().values()).containsExactly("answer");
    }

    @Test
    void cancellingTheRequestCancelsItsDirectCallAndFreesThePermit() {
        FanOut<String, String> fanOut = builder().maxConcurrentAdapters(1).adapter(holding("stuck")).build();

        fanOut.executeAsync("q1").toCompletableFuture().cancel(true);

        assertThat(held.get(0)).isCancelled();
        assertThat(fanOut.inFlight()).isZero();
        fanOut.executeAsync("q2");
        assertThat(held).as("the permit came back").hasSize(2);
    }

    @Test
    void twoRequestsSharingOneStageAreTwoRunningCallsAndShutdownWaitsForBoth() {
        CompletableFuture<String> shared = new CompletableFuture<>();
        FanOut<String, String> fanOut = builder().shutdownTimeout(Duration.ofSeconds(30)).timeout(Duration.ofDays(1))
                .adapter(Adapter.async("coalescing", (request, context) -> shared)).build();

        CompletionStage<FanOutResult<String>> first = fanOut.executeAsync("q");
        CompletionStage<FanOutResult<String>> second = fanOut.executeAsync("q");
        assertThat(fanOut.inFlight()).isEqualTo(2);

        CompletionStage<Integer> shutdown = fanOut.shutdown();
        clock.advance(Duration.ofSeconds(29));
        assertThat(shutdown.toCompletableFuture()).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        assertThat(shutdown.toCompletableFuture()).isCompletedWithValue(2);
        assertThat(fanOut.inFlight()).isZero();
        assertThat(first.toCompletableFuture().join().results().get(0).status()).isEqualTo(AdapterResult.Status.CANCELLED);
        assertThat(second.toCompletableFuture().join().results().get(0).status()).isEqualTo(AdapterResult.Status.CANCELLED);
    }
}
