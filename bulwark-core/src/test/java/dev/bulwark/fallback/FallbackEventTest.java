package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Each way an execution ends is published as its own {@link Fallback.Event} record, with what that way carries. */
class FallbackEventTest extends FakeLlmFixture {

    private final List<Fallback.Event> events = new ArrayList<>();

    private Fallback<String> listenedTo(Fallback.Builder<String> builder) {
        Fallback<String> fallback = builder.build();
        fallback.subscribe(events::add);
        return fallback;
    }

    /** Queues every call under ticket 7, as a deferred queue would. */
    private static final class QueueUnderSeven implements FallbackStrategy<String> {
        @Override
        public FallbackResult.Outcome outcome() {
            return FallbackResult.Outcome.QUEUED;
        }

        @Override
        public CompletionStage<Step<String>> apply(Failure<String> failure) {
            return CompletableFuture.completedFuture(failure.queued(7));
        }
    }

    @Test
    void aServedCallAndAnAnswerInItsPlaceAreServedAndAnswered() throws Exception {
        Fallback<String> fallback = listenedTo(Fallback.<String>builder("llm").switchProvider(PROVIDER, "model-b"));

        fallback.execute(prompt("hi"), llm);
        down.add("model-a");
        fallback.execute(prompt("hi"), llm);

        assertThat(events).containsExactly(new Fallback.Event.Served("llm", List.of("served")),
                new Fallback.Event.Answered("llm", FallbackResult.Outcome.SWITCHED,
                        List.of("primary: IOException model-a down", "provider model-b", "switched")));
        assertThat(events).extracting(Fallback.Event::outcome)
                .containsExactly(FallbackResult.Outcome.SERVED, FallbackResult.Outcome.SWITCHED);
    }

    @Test
    void aQueuedCallCarriesItsTicket() {
        down.add("model-a");
        Fallback<String> fallback = listenedTo(Fallback.<String>builder("llm").add(new QueueUnderSeven()));

        assertThatThrownBy(() -> fallback.execute(prompt("hi"), llm)).isInstanceOf(QueuedException.class);

        assertThat(events).singleElement().isEqualTo(new Fallback.Event.Queued("llm", 7,
                List.of("primary: IOException model-a down", "queued")));
        assertThat(events.get(0).outcome()).isEqualTo(FallbackResult.Outcome.QUEUED);
    }

    @Test
    void aShedCallCarriesTheLoadShedExceptionOrNothingWhenItWasAnswered() throws Exception {
        down.add("model-a");
        Fallback<String> reject = listenedTo(Fallback.<String>builder("reject").shed());
        Fallback<String> busy = listenedTo(Fallback.<String>builder("busy").add(FallbackStrategy.shedAnswering("busy")));

        Throwable shed = catchThrowable(() -> reject.execute(prompt("hi"), llm));
        busy.execute(prompt("hi"), llm);

        assertThat(shed).isInstanceOf(LoadShedException.class);
        assertThat(events).containsExactly(
                new Fallback.Event.Shed("reject", shed, List.of("primary: IOException model-a down", "shed")),
                new Fallback.Event.Shed("busy", null, List.of("primary: IOException model-a down", "shed")));
    }

    @Test
    void aFailedExecutionCarriesTheLastFailureOrNothingWhenTheLastResultWasNotAccepted() throws Exception {
        Fallback<String> fallback = listenedTo(Fallback.<String>builder("llm").handle(IOException.class)
                .handleResult(String::isEmpty).switchProvider(PROVIDER, "model-b"));
        IllegalStateException bug = new IllegalStateException("bug");
        IOException down = new IOException("down");

        assertThatThrownBy(() -> fallback.execute(prompt("hi"), ctx -> {
            throw bug;
        })).isSameAs(bug);
        assertThatThrownBy(() -> fallback.execute(prompt("hi"), ctx -> {
            throw down;
        })).isSameAs(down);
        assertThat(fallback.<String>execute(prompt("hi"), ctx -> "")).isEmpty();

        assertThat(events).containsExactly(
                new Fallback.Event.Failed("llm", bug, List.of("primary: IllegalStateException bug (not handled)", "failed")),
                new Fallback.Event.Failed("llm", down, List.of("primary: IOException down",
                        "provider model-b: IOException down", "no strategy answered")),
                new Fallback.Event.Failed("llm", null, List.of("primary: result not accepted ()",
                        "provider model-b: result not accepted ()", "no strategy answered")));
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(3);
    }

    @Test
    void anEventKeepsACopyOfTheTrail() {
        List<String> trail = new ArrayList<>(List.of("served"));
        Fallback.Event event = new Fallback.Event.Served("llm", trail);
        trail.add("changed");

        assertThat(event.trail()).containsExactly("served");
        assertThatThrownBy(() -> event.trail().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
