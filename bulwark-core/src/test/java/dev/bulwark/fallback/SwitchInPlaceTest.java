package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The synchronous switch without listeners (run in place, without stages) reaches the verdicts, values and counts
 * of the staged run, with a plain or a started context, and hands over to the next strategy when no provider answers.
 */
class SwitchInPlaceTest {
    private static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
    private static final ExecutionContext.Key<Boolean> DEGRADED = ExecutionContext.Key.of("degraded", Boolean.class);

    private final List<String> calledWith = new ArrayList<>();

    /** Fails with {@code failures} for each provider named there, answers "from " + provider otherwise. */
    private ContextualSupplier<String> call(String failingProviders, Exception failure) {
        return context -> {
            String provider = context.get(PROVIDER).orElse("primary");
            calledWith.add(provider + (context.get(DEGRADED).orElse(false) ? "+degraded" : ""));
            if (context.get(DEGRADED).orElse(false)) {
                return "degraded answer";
            }
            if (failingProviders.contains(provider)) {
                throw failure;
            }
            return "from " + provider;
        };
    }

    @Test
    void theFirstAlternativeThatAnswersIsTheAnswerAndCountsAsSwitched() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("f").switchProvider(PROVIDER, "b", "c").build();

        String answer = fallback.execute(ExecutionContext.detached(), call("primary b", new IOException("down")));

        assertThat(answer).isEqualTo("from c");
        assertThat(calledWith).containsExactly("primary", "b", "c");
        assertThat(fallback.count(FallbackResult.Outcome.SWITCHED)).isEqualTo(1);
    }

    @Test
    void aStartedContextKeepsItsOwnValuesAndGetsTheProvider() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("f").switchProvider(PROVIDER, "b").build();
        ExecutionContext started = ExecutionContext.detached().with(DEGRADED, false);

        assertThat(fallback.execute(started, call("primary", new IOException("down")))).isEqualTo("from b");
        assertThat(calledWith).containsExactly("primary", "b");
    }

    @Test
    void whenNoAlternativeAnswersTheNextStrategyRuns() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("f").switchProvider(PROVIDER, "b")
                .degrade(context -> context.with(DEGRADED, true)).build();

        String answer = fallback.execute(ExecutionContext.detached(), call("primary b", new IOException("down")));

        assertThat(answer).isEqualTo("degraded answer");
        // the degrader gets the execution's own context, as in the staged run a listener forces
        assertThat(calledWith).containsExactly("primary", "b", "primary+degraded");
        assertThat(fallback.count(FallbackResult.Outcome.DEGRADED)).isEqualTo(1);
        assertThat(fallback.count(FallbackResult.Outcome.SWITCHED)).isZero();

        calledWith.clear();
        List<Object> events = new ArrayList<>();
        fallback.subscribe(events::add);
        assertThat(fallback.execute(ExecutionContext.detached(), call("primary b", new IOException("down"))))
                .isEqualTo("degraded answer");
        assertThat(calledWith).containsExactly("primary", "b", "primary+degraded");
        assertThat(fallback.count(FallbackResult.Outcome.DEGRADED)).isEqualTo(2);
        assertThat(events).hasSize(1);
    }

    @Test
    void anAlternativesUnhandledFailureIsThrownAndCountedAsFailed() {
        Fallback<String> fallback = Fallback.<String>builder("f").handle(IOException.class)
                .switchProvider(PROVIDER, "b", "c").build();
        ContextualSupplier<String> call = context -> {
            calledWith.add(context.get(PROVIDER).orElse("primary"));
            if (context.get(PROVIDER).isPresent()) {
                throw new IllegalStateException("bug in b");
            }
            throw new IOException("down");
        };

        assertThatThrownBy(() -> fallback.execute(ExecutionContext.detached(), call))
                .isInstanceOf(IllegalStateException.class).hasMessage("bug in b");
        assertThat(calledWith).containsExactly("primary", "b");
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(1);
    }

    @Test
    void whenEveryAlternativeFailsTheLastFailureIsThrown() {
        Fallback<String> fallback = Fallback.<String>builder("f").switchProvider(PROVIDER, "b", "c").build();
        ContextualSupplier<String> call = context -> {
            throw new IOException("down at " + context.get(PROVIDER).orElse("primary"));
        };

        assertThatThrownBy(() -> fallback.execute(ExecutionContext.detached(), call))
                .isInstanceOf(IOException.class).hasMessage("down at c");
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(1);
    }

    @Test
    void aRejectedLastAnswerIsWhatTheCallerGetsWhenNothingElseAnswers() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("f").handleResult(value -> value.startsWith("bad"))
                .switchProvider(PROVIDER, "b").build();
        ContextualSupplier<String> call = context -> "bad " + context.get(PROVIDER).orElse("primary");

        assertThat(fallback.execute(ExecutionContext.detached(), call)).isEqualTo("bad b");
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(1);
    }
}
