package dev.bulwark.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fanout.FanOut.RequestOptions;
import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.time.ManualClock;
import dev.bulwark.timeout.Timeout;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FanOutTest {

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();

    /** An adapter that answers {@code value} after {@code latency} of manual-clock time. */
    private Adapter<String, String> after(String name, Duration latency, String value) {
        return Adapter.async(name, (request, context) -> {
            CompletableFuture<String> answer = new CompletableFuture<>();
            started.add(answer);
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            clock.schedule(latency, () -> {
                running.decrementAndGet(); // before completing: completion may start the next adapter at once
                answer.complete(value + " for " + request);
            });
            return answer;
        });
    }

    private Adapter<String, String> failing(String name) {
        return Adapter.async(name, (request, context) -> CompletableFuture.failedFuture(new IOException(name + " down")));
    }

    private FanOut.Builder<String, String> builder() {
        return FanOut.<String, String>builder("search").clockAndScheduler(clock);
    }

    @Test
    void threeOneSecondAdaptersFinishInOneSecondNotThree() {
        FanOut<String, String> fanOut = builder().adapter(after("a", Duration.ofSeconds(1), "A"))
                .adapter(after("b", Duration.ofSeconds(1), "B")).adapter(after("c", Duration.ofSeconds(1), "C")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(1));

        FanOutResult<String> result = stage.toCompletableFuture().join();
        assertThat(result.duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(result.values()).containsExactly("A for q", "B for q", "C for q");
        assertThat(maxRunning).hasValue(3);
    }

    @Test
    void aTenSecondAdapterWithAFiveSecondTimeoutIsCutAtFiveWhileTheOthersComplete() {
        FanOut<String, String> fanOut = builder()
                .adapter(after("slow", Duration.ofSeconds(10), "late"),
                        Timeout.builder("slow", Duration.ofSeconds(5)).clockAndScheduler(clock).build())
                .adapter(after("fast", Duration.ofSeconds(1), "F")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(5));

        FanOutResult<String> result = stage.toCompletableFuture().join();
        assertThat(result.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(result.results()).extracting(AdapterResult::status)
                .containsExactly(AdapterResult.Status.TIMED_OUT, AdapterResult.Status.SUCCEEDED);
        assertThat(result.results().get(0).duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(started.get(0)).as("the abandoned call is cancelled").isCancelled();
        assertThat(result.partial()).isTrue();
    }

    @Test
    void firstSuccessReturnsTheFirstAnswerAndCancelsTheRest() {
        FanOut<String, String> fanOut = builder().strategy(Strategy.FIRST_SUCCESS)
                .adapter(after("slow", Duration.ofSeconds(3), "S")).adapter(after("fast", Duration.ofSeconds(1), "F")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(1));

        FanOutResult<String> result = stage.toCompletableFuture().join();
        assertThat(result.values()).containsExactly("F for q");
        assertThat(result.results().get(0).status()).isEqualTo(AdapterResult.Status.CANCELLED);
        assertThat(started.get(0)).isCancelled();
        assertThat(fanOut.inFlight()).isZero();
    }

    @Test
    void bestEffortReturnsWhatFinishedByTheDeadlineWithoutCountingAgainstTheSlowOnes() {
        CircuitBreaker slowBreaker = CircuitBreaker.builder("slow").clock(clock).build();
        FanOut<String, String> fanOut = builder().strategy(Strategy.BEST_EFFORT).timeout(Duration.ofSeconds(2))
                .adapter(after("slow", Duration.ofSeconds(10), "S"), slowBreaker)
                .adapter(after("fast", Duration.ofSeconds(1), "F")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(2));

        FanOutResult<String> result = stage.toCompletableFuture().join();
        assertThat(result.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.values()).containsExactly("F for q");
        assertThat(result.results().get(0).status()).isEqualTo(AdapterResult.Status.SKIPPED);
        assertThat(slowBreaker.stats().failedCalls()).isZero();
    }

    @Test
    void bestEffortSkipsASlowAdapterEvenWhenItsOwnTimeoutOutlastsTheDeadline() {
        CircuitBreaker slowBreaker = CircuitBreaker.builder("slow").clock(clock).build();
        Timeout generous = Timeout.builder("slow", Duration.ofSeconds(30)).clock(clock).scheduler(clock).build();
        FanOut<String, String> fanOut = builder().strategy(Strategy.BEST_EFFORT).timeout(Duration.ofSeconds(2))
                .adapter(after("slow", Duration.ofSeconds(10), "S"), slowBreaker, generous)
                .adapter(after("fast", Duration.ofSeconds(1), "F")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(2));

        FanOutResult<String> result = stage.toCompletableFuture().join();
        assertThat(result.results().get(0).status()).isEqualTo(AdapterResult.Status.SKIPPED);
        assertThat(generous.timedOutCalls()).as("the request's deadline is not the adapter's timeout").isZero();
        assertThat(slowBreaker.stats().failedCalls()).isZero();
    }

    @Test
    void onlyBestEffortLeavesTheRequestDeadlineOutOfTheAdaptersContext() {
        // With the deadline in its context, an adapter's own timeout would fire at the very instant the best-effort
        // deadline abandons it, and which of the two came first would decide whether it counted as a failure.
        List<Boolean> sawDeadline = new CopyOnWriteArrayList<>();
        Adapter<String, String> probe = Adapter.async("probe", (request, context) -> {
            sawDeadline.add(context.hasDeadline());
            return CompletableFuture.completedFuture("ok");
        });
        FanOut<String, String> fanOut = builder().timeout(Duration.ofSeconds(2)).adapter(probe).build();

        fanOut.executeAsync("q", RequestOptions.defaults().strategy(Strategy.BEST_EFFORT)).toCompletableFuture().join();
        fanOut.executeAsync("q", RequestOptions.defaults().strategy(Strategy.ALL)).toCompletableFuture().join();

        assertThat(sawDeadline).containsExactly(false, true);
    }

    @Test
    void allReportsAdaptersStillRunningAtTheDeadlineAsTimedOut() {
        FanOut<String, String> fanOut = builder().timeout(Duration.ofSeconds(3))
                .adapter(after("slow", Duration.ofSeconds(10), "S")).adapter(after("fast", Duration.ofSeconds(1), "F")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(3));

        FanOutResult<String> result = stage.toCompletableFuture().join();
        assertThat(result.results().get(0).status()).isEqualTo(AdapterResult.Status.TIMED_OUT);
        assertThat(result.results().get(0).error()).hasMessageContaining("request deadline passed before adapter 'slow'");
    }

    @Test
    void anAdapterWhoseCircuitIsOpenIsNotCalledAndSaysSo() {
        CircuitBreaker breaker = CircuitBreaker.builder("broken").clock(clock).build();
        breaker.trip();
        AtomicInteger calls = new AtomicInteger();
        FanOut<String, String> fanOut = builder()
                .adapter(Adapter.async("broken", (q, c) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture("never");
                }), breaker)
                .adapter(after("fast", Duration.ofSeconds(1), "F")).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(1));

        AdapterResult<String> rejected = stage.toCompletableFuture().join().results().get(0);
        assertThat(calls).hasValue(0);
        assertThat(rejected.status()).isEqualTo(AdapterResult.Status.REJECTED);
        assertThat(rejected.circuitState()).isEqualTo(dev.bulwark.circuit.CircuitBreaker.State.OPEN);
        assertThat(rejected.error()).hasMessageStartingWith("circuit 'broken' is OPEN");
    }

    @Test
    void whenEveryAdapterFailsTheResultIsEmptyWithTheErrors() {
        FanOut<String, String> fanOut = builder().adapter(failing("a")).adapter(failing("b")).build();

        FanOutResult<String> result = fanOut.executeAsync("q").toCompletableFuture().join();

        assertThat(result.values()).isEmpty();
        assertThat(result.anySucceeded()).isFalse();
        assertThat(result.failures()).extracting(failure -> failure.error().getMessage()).containsExactly("a down", "b down");
    }

    private static final dev.bulwark.ExecutionContext.Key<String> REQUEST_ID = dev.bulwark.ExecutionContext.Key.of("request-id", String.class);

    @Test
    void theRequestContextReachesEveryAdapter() {
        List<ExecutionContext> seen = new CopyOnWriteArrayList<>();
        Adapter.AsyncCall<String, String> record = (q, context) -> {
            seen.add(context);
            return CompletableFuture.completedFuture("ok");
        };
        FanOut<String, String> fanOut = builder().adapter(Adapter.async("a", record)).adapter(Adapter.async("b", record)).build();

        fanOut.executeAsync("q", RequestOptions.defaults().with(REQUEST_ID, "r-7")).toCompletableFuture().join();

        assertThat(seen).extracting(context -> context.get(REQUEST_ID).orElseThrow()).containsOnly("r-7");
        assertThat(seen).extracting(context -> context.get(FanOut.ADAPTER).orElseThrow()).containsExactlyInAnyOrder("a", "b");
        assertThat(seen).allSatisfy(context -> assertThat(context.hasDeadline()).isTrue());
    }

    @Test
    void theGlobalLimitBoundsConcurrentAdapterCalls() {
        FanOut.Builder<String, String> builder = builder().maxConcurrentAdapters(2);
        for (String name : List.of("a", "b", "c", "d")) {
            builder.adapter(after(name, Duration.ofSeconds(1), name));
        }
        FanOut<String, String> fanOut = builder.build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(2));

        assertThat(stage.toCompletableFuture().join().values()).hasSize(4);
        assertThat(maxRunning).hasValue(2);
    }

    @Test
    void initialisationGetsThirtyPercentOfTheTimeAndOverrunningItIsATimeout() {
        Adapter<String, String> slowInit = new Adapter<>() {
            @Override
            public String name() {
                return "cold";
            }

            @Override
            public boolean hasInitialization() {
                return true;
            }

            @Override
            public CompletionStage<Void> initialize(ExecutionContext context) {
                CompletableFuture<Void> ready = new CompletableFuture<>();
                clock.schedule(Duration.ofSeconds(4), () -> ready.complete(null));
                return ready;
            }

            @Override
            public CompletionStage<String> execute(String request, ExecutionContext context) {
                return CompletableFuture.completedFuture("warm");
            }
        };
        FanOut<String, String> fanOut = builder().timeout(Duration.ofSeconds(10)).adapter(slowInit).build();

        CompletionStage<FanOutResult<String>> stage = fanOut.executeAsync("q");
        clock.advance(Duration.ofSeconds(3));

        AdapterResult<String> result = stage.toCompletableFuture().join().results().get(0);
        assertThat(result.status()).isEqualTo(AdapterResult.Status.TIMED_OUT);
        assertThat(result.error()).hasMessageContaining("initialisation exceeded its 3000 ms share");
    }

    @Test
    void shutdownWaitsForInFlightCallsThenCancelsWhatIsLeft() {
        FanOut<String, String> fanOut = builder().shutdownTimeout(Duration.ofSeconds(30))
                .adapter(after("quick", Duration.ofSeconds(1), "Q")).adapter(after("stuck", Duration.ofDays(1), "S"))
                .timeout(Duration.ofDays(2)).build();
        fanOut.executeAsync("q");

        CompletionStage<Integer> shutdown = fanOut.shutdown();
        assertThat(fanOut.executeAsync("late").toCompletableFuture()).isCompletedExceptionally();
        clock.advance(Duration.ofSeconds(29));
        assertThat(shutdown.toCompletableFuture()).isNotDone();
        assertThat(fanOut.inFlight()).as("the quick call finished on its own").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));

        assertThat(shutdown.toCompletableFuture()).isCompletedWithValue(1);
        assertThat(fanOut.inFlight()).as("no orphaned call").isZero();
        assertThat(started.get(1)).isCancelled();
    }

    @Test
    void aShutdownThatArrivesWhileAnAdapterIsStartingStillWaitsForItsRequest() {
        AtomicReference<FanOut<String, String>> self = new AtomicReference<>();
        AtomicReference<CompletionStage<Integer>> shutdown = new AtomicReference<>();
        CompletableFuture<String> held = new CompletableFuture<>();
        Adapter<String, String> sendsThenSeesShutdown = Adapter.async("backend", (request, context) -> {
            shutdown.set(self.get().shutdown()); // the request is on the wire before the fan-out has tracked the call
            return held;
        });
        FanOut<String, String> fanOut = builder().shutdownTimeout(Duration.ofSeconds(30)).timeout(Duration.ofDays(1))
                .adapter(sendsThenSeesShutdown).build();
        self.set(fanOut);

        CompletionStage<FanOutResult<String>> answer = fanOut.executeAsync("q");

        assertThat(shutdown.get().toCompletableFuture()).as("the request is still in flight").isNotDone();
        clock.advance(Duration.ofSeconds(30));
        assertThat(shutdown.get().toCompletableFuture()).isCompletedWithValue(1);
        assertThat(held).isCancelled();
        assertThat(answer.toCompletableFuture().join().results().get(0).status()).isEqualTo(AdapterResult.Status.CANCELLED);
    }

    @Test
    void blockingAdaptersRunOnTheExecutor() throws Exception {
        FanOut<String, String> fanOut = builder()
                .adapter(Adapter.blocking("db", (request, context) -> Thread.currentThread().getName())).build();

        FanOutResult<String> result = fanOut.execute("q", RequestOptions.defaults());

        assertThat(result.values()).singleElement().asString().startsWith("bulwark-fanout-search");
        assertThat(fanOut.shutdown().toCompletableFuture().join()).isZero();
    }

    @Test
    void registersAndReportsThroughTheRegistry() {
        dev.bulwark.event.Registry registry = new dev.bulwark.event.Registry();
        FanOut<String, String> fanOut = registry.register(builder().adapter(failing("a")).build());
        List<FanOut.Event> events = new CopyOnWriteArrayList<>();
        assertThat(registry.get(FanOut.class, "search")).isSameAs(fanOut);
        fanOut.subscribe(events::add);

        fanOut.executeAsync("q").toCompletableFuture().join();

        assertThat(events).containsExactly(new FanOut.Event.RequestCompleted("search", Strategy.ALL, 0, 1, 0L));
    }

    @Test
    void badRequestsAndSettingsAreRefusedClearly() {
        FanOut<String, String> fanOut = builder().adapter(failing("a")).build();

        assertThatThrownBy(() -> fanOut.executeAsync("q", RequestOptions.defaults().adapters(List.of("nope"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fan-out 'search' has no adapter 'nope'; known adapters: [a]");
        assertThatThrownBy(() -> builder().build()).isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'search': adapters must be at least one adapter, was none");
        assertThatThrownBy(() -> builder().adapter(failing("a")).maxConcurrentAdapters(0).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'search': maxConcurrentAdapters must be in [1, 10000], was 0");
    }
}
