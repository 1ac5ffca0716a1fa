package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures a fallback answers for (exceptions and results), which it never does, and what it refuses to build. */
class FallbackHandlingTest extends FakeLlmFixture {

    @Test
    void byDefaultEveryExceptionIsHandledRejectionsIncluded() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("llm").add(FallbackStrategy.answer("fallback")).build();

        assertThat(fallback.<String>execute(prompt("hi"), ctx -> {
            throw new IllegalStateException("bug in the client");
        })).isEqualTo("fallback");
        CircuitBreaker open = CircuitBreaker.builder("llm").clock(clock).build();
        open.forceOpen();
        AtomicInteger calls = new AtomicInteger();
        assertThat(Pipeline.builder().add(fallback, open).clock(clock).build().<String>execute(prompt("hi"), ctx -> {
            calls.incrementAndGet();
            return "primary";
        })).isEqualTo("fallback");
        assertThat(calls).as("the open circuit kept the call from running").hasValue(0);
    }

    @Test
    void handleNarrowsTheExceptionsAndOthersPassThroughCountedAsFailed() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("llm").handle(IOException.class)
                .handleIf(error -> error.getMessage() != null && error.getMessage().startsWith("retryable"))
                .add(FallbackStrategy.answer("fallback")).build();
        List<Fallback.Event> events = new ArrayList<>();
        fallback.subscribe(events::add);

        assertThat(fallback.<String>execute(prompt("hi"), ctx -> {
            throw new java.io.FileNotFoundException("a subtype");
        })).isEqualTo("fallback");
        assertThat(fallback.<String>execute(prompt("hi"), ctx -> {
            throw new IllegalStateException("retryable: busy");
        })).isEqualTo("fallback");
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> fallback.execute(prompt("hi"), ctx -> {
            throw bug;
        })).isSameAs(bug);

        assertThat(fallback.count(FallbackResult.Outcome.SUBSTITUTED)).isEqualTo(2);
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(1);
        assertThat(events.get(2).trail()).containsExactly("primary: IllegalStateException bug (not handled)", "failed");
    }

    @Test
    void anUnhandledExceptionFromAnAlternativeEndsTheExecutionWithIt() throws Exception {
        down.add("model-a");
        Fallback<String> fallback = Fallback.<String>builder("llm").handle(IOException.class)
                .switchProvider(PROVIDER, "model-b", "model-c").build();

        FallbackResult<String> result = fallback.executeForResult(prompt("hi"), ctx -> {
            if (ctx.get(PROVIDER).isEmpty()) {
                throw new IOException("down");
            }
            throw new UnsupportedOperationException(ctx.get(PROVIDER).orElseThrow() + " cannot");
        });

        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.FAILED);
        assertThat(result.error()).isInstanceOf(UnsupportedOperationException.class).hasMessage("model-b cannot");
        assertThat(result.trail()).containsExactly("primary: IOException down",
                "provider model-b: UnsupportedOperationException model-b cannot (not handled)", "failed");
    }

    @Test
    void anUnacceptedResultFallsBackLikeAFailureAndIsReturnedWhenNothingAnswers() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("llm").handleResult(answer -> answer == null || answer.startsWith("error"))
                .switchProvider(PROVIDER, "model-b", "model-c").build();
        AtomicInteger calls = new AtomicInteger();

        FallbackResult<String> switched = fallback.executeForResult(prompt("hi"), ctx -> switch (ctx.getOrDefault(PROVIDER, "model-a")) {
            case "model-a" -> null;
            case "model-b" -> "error: quota";
            default -> "model-c answer";
        });
        String unanswered = fallback.execute(prompt("hi"), ctx -> calls.incrementAndGet() == 1 ? null : "error: " + calls.get());

        assertThat(switched.outcome()).isEqualTo(FallbackResult.Outcome.SWITCHED);
        assertThat(switched.value()).isEqualTo("model-c answer");
        assertThat(switched.trail()).containsExactly("primary: result not accepted (null)",
                "provider model-b: result not accepted (error: quota)", "provider model-c", "switched");
        assertThat(unanswered).as("the last unaccepted result").isEqualTo("error: 3");
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(1);
    }

    @Test
    void aStrategySeesTheUnacceptedResult() throws Exception {
        Fallback<Boolean> fallback = Fallback.<Boolean>builder("flag").handleResult(Boolean.FALSE::equals)
                .add(FallbackStrategy.answerFrom(failure -> !failure.isException() && Boolean.FALSE.equals(failure.result()))).build();

        assertThat(fallback.<Boolean>execute(prompt("hi"), ctx -> false)).isTrue();
    }

    @Test
    void errorsInterruptionsAndCancellationsEndTheCallUnhandledAndUncounted() {
        FallbackStrategy<String> fallbackValue = FallbackStrategy.answer("fallback");
        Fallback<String> fallback = Fallback.<String>builder("llm").handleIf(error -> true).add(fallbackValue).build();

        assertThatThrownBy(() -> fallback.execute(prompt("hi"), ctx -> {
            throw new AssertionError("bug");
        })).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> fallback.execute(prompt("hi"), ctx -> {
            throw new InterruptedException("stop");
        })).isInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> fallback.executeForResult(prompt("hi"), ctx -> {
            throw new CancellationException("gave up");
        })).isInstanceOf(CancellationException.class);

        for (FallbackResult.Outcome outcome : FallbackResult.Outcome.values()) {
            assertThat(fallback.count(outcome)).as(outcome.name()).isZero();
        }
    }

    @Test
    void aFallbackWithoutAStrategyWithAStrategyTwiceOrWithBothWaysOfGivingThemIsRefusedAtBuild() {
        FallbackStrategy<String> value = FallbackStrategy.answer("x");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").build())
                .isInstanceOf(ConfigException.class).hasMessage("fallback 'llm': strategies must be at least one strategy, was []");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").strategies(value, value).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("fallback 'llm': strategies must be each strategy at most once");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").strategies(value).shed().build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("fallback 'llm': strategies must be either strategies(...)");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").handleResult(a -> true).handleResult(a -> false))
                .isInstanceOf(ConfigException.class).hasMessage("fallback 'llm': handleResult must be given at most once, was given twice");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").clock(clock).clock(clock))
                .isInstanceOf(ConfigException.class).hasMessage("fallback 'llm': clock must be given at most once, was given twice");
        assertThatThrownBy(() -> Fallback.<String>builder(" ").shed().build()).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> FallbackStrategy.switchProvider(PROVIDER, "b", "b")).isInstanceOf(ConfigException.class)
                .hasMessage("switch provider 'provider': alternatives must be each alternative given once, was b");
        assertThatThrownBy(() -> FallbackStrategy.switchProvider(PROVIDER)).isInstanceOf(ConfigException.class)
                .hasMessage("switch provider 'provider': alternatives must be at least one alternative, was []");
    }
}
