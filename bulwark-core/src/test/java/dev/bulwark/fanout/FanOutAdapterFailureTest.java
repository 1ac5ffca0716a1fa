package dev.bulwark.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.ExecutionContext;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.time.ManualClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * An adapter that throws before returning a stage (from its call or its initialisation, even an Error), or returns
 * null, is a FAILED adapter carrying that exception; the request still completes, with or without policies.
 */
class FanOutAdapterFailureTest {

    private static final IllegalStateException BROKE = new IllegalStateException("adapter broke");

    private final ManualClock clock = new ManualClock();

    private Adapter<String, String> throwingOnCall(String name, RuntimeException failure) {
        return Adapter.async(name, (request, context) -> {
            throw failure;
        });
    }

    private Adapter<String, String> throwingOnInitialisation(String name, Error failure) {
        return new Adapter<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean hasInitialization() {
                return true;
            }

            @Override
            public CompletionStage<Void> initialize(ExecutionContext context) {
                throw failure;
            }

            @Override
            public CompletionStage<String> execute(String request, ExecutionContext context) {
                return CompletableFuture.completedFuture("never");
            }
        };
    }

    @Test
    void adaptersThrowingBeforeReturningAStageAreFailedAndTheRequestCompletes() {
        AssertionError initBroke = new AssertionError("initialisation broke");
        FanOut<String, String> fanOut = FanOut.<String, String>builder("search").clockAndScheduler(clock)
                .adapter(throwingOnCall("bare", BROKE))
                .adapter(throwingOnCall("guarded", BROKE), CircuitBreaker.builder("guarded").clock(clock).build())
                .adapter(throwingOnInitialisation("init", initBroke))
                .adapter(Adapter.async("null", (request, context) -> null))
                .adapter(Adapter.async("ok", (request, context) -> CompletableFuture.completedFuture("fine"))).build();

        CompletableFuture<FanOutResult<String>> stage = fanOut.executeAsync("q").toCompletableFuture();

        assertThat(stage).isDone();
        FanOutResult<String> result = stage.join();
        assertThat(result.results()).extracting(AdapterResult::status).containsExactly(AdapterResult.Status.FAILED,
                AdapterResult.Status.FAILED, AdapterResult.Status.FAILED, AdapterResult.Status.FAILED,
                AdapterResult.Status.SUCCEEDED);
        assertThat(result.results().get(0).error()).isSameAs(BROKE);
        assertThat(result.results().get(1).error()).isSameAs(BROKE);
        assertThat(result.results().get(2).error()).isSameAs(initBroke);
        assertThat(result.results().get(3).error()).isInstanceOf(NullPointerException.class);
        assertThat(result.values()).containsExactly("fine");
    }
}
