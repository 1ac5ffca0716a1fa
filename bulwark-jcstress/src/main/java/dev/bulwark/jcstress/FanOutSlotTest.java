package dev.bulwark.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.fanout.Adapter;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The fan-out's per-adapter slots: each is settled by a compare-and-set, first writer wins, and the settler that
 * closes the last open slot completes the request. Racing settlers leave every slot settled once, the request
 * completed once, and no call counted as running.
 */
public final class FanOutSlotTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private FanOutSlotTest() {
    }

    /** A fan-out over adapters whose calls wait for the test, counting completed requests. */
    static final class Subject {
        final ManualClock clock = new ManualClock();
        final List<CompletableFuture<String>> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger completed = new AtomicInteger();
        final FanOut<String, String> fanOut;
        final CompletableFuture<FanOutResult<String>> result;

        Subject(int adapters) {
            Fixtures.quietLogs();
            FanOut.Builder<String, String> builder = FanOut.<String, String>builder("slots").clockAndScheduler(clock)
                    .timeout(TIMEOUT).executor(Runnable::run);
            for (int i = 0; i < adapters; i++) {
                builder.adapter(Adapter.async("adapter-" + i, (request, context) -> {
                    CompletableFuture<String> call = new CompletableFuture<>();
                    calls.add(call);
                    return call;
                }));
            }
            fanOut = builder.build();
            fanOut.subscribe(event -> {
                if (event instanceof FanOut.Event.RequestCompleted) {
                    completed.incrementAndGet();
                }
            });
            result = fanOut.executeAsync("q").toCompletableFuture();
        }

        /** How many adapters ended with {@code status}; -1 while the request has not completed. */
        int count(AdapterResult.Status status) {
            if (!result.isDone()) {
                return -1;
            }
            return (int) result.join().results().stream().filter(r -> r.status() == status).count();
        }
    }

    @JCStressTest
    @Description("An adapter's answer races the request deadline for its slot")
    @Outcome(id = {"1, 1, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "answered or timed out, the request completed once")
    @Outcome(expect = FORBIDDEN, desc = "the slot lost, overwritten, the request completed twice or not at all, or a call left running")
    @State
    public static class AnswerRacesDeadline {
        private final Subject subject = new Subject(1);

        @Actor
        public void answer() {
            subject.calls.get(0).complete("v");
        }

        @Actor
        public void deadline() {
            subject.clock.advance(TIMEOUT);
        }

        @Arbiter
        public void judge(III_Result result) {
            int succeeded = subject.count(AdapterResult.Status.SUCCEEDED);
            int timedOut = subject.count(AdapterResult.Status.TIMED_OUT);
            result.r1 = succeeded + timedOut == 1 ? succeeded : -1;
            result.r2 = subject.completed.get();
            result.r3 = subject.fanOut.inFlight();
        }
    }

    @JCStressTest
    @Description("The last two adapters answer at once: whichever closes the last slot completes the request")
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both answers kept, the request completed once")
    @Outcome(expect = FORBIDDEN, desc = "an answer lost, the request completed twice or not at all, or a call left running")
    @State
    public static class LastTwoAnswersRace {
        private final Subject subject = new Subject(2);

        @Actor
        public void first() {
            subject.calls.get(0).complete("a");
        }

        @Actor
        public void second() {
            subject.calls.get(1).complete("b");
        }

        @Arbiter
        public void judge(III_Result result) {
            result.r1 = subject.count(AdapterResult.Status.SUCCEEDED);
            result.r2 = subject.completed.get();
            result.r3 = subject.fanOut.inFlight();
        }
    }
}
