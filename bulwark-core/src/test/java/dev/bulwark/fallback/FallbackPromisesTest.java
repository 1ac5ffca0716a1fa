package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the one typed fallback promises beyond its strategies' own tests: a provider of any type travels under its
 * typed key, the asynchronous path in a pipeline falls back on chosen exceptions and results alike, and a result is
 * a failure only when the fallback is told so.
 */
class FallbackPromisesTest extends FakeLlmFixture {

    enum Model { PRIMARY, BACKUP, SPARE }

    record Budget(int tokens, boolean cheap) {
    }

    static final ExecutionContext.Key<Model> MODEL = ExecutionContext.Key.of("model", Model.class);
    static final ExecutionContext.Key<Budget> BUDGET = ExecutionContext.Key.of("budget", Budget.class);

    @Test
    void aProviderAndADegradedParameterOfAnyTypeTravelUnderTheirTypedKeys() throws Exception {
        List<String> calls = new ArrayList<>();
        Fallback<String> fallback = Fallback.<String>builder("typed").switchProvider(MODEL, Model.BACKUP, Model.SPARE)
                .degrade(ctx -> ctx.with(MODEL, Model.PRIMARY).with(BUDGET, new Budget(100, true))).build();
        List<Fallback.Event> events = new ArrayList<>();
        fallback.subscribe(events::add);

        FallbackResult<String> result = fallback.executeForResult(ExecutionContext.start(clock), ctx -> {
            Model model = ctx.getOrDefault(MODEL, Model.PRIMARY);
            Budget budget = ctx.getOrDefault(BUDGET, new Budget(2000, false));
            calls.add(model + "/" + budget.tokens());
            if (!budget.cheap()) {
                throw new IOException(model + " overloaded");
            }
            return model + " answered with " + budget.tokens() + " tokens";
        });

        assertThat(calls).containsExactly("PRIMARY/2000", "BACKUP/2000", "SPARE/2000", "PRIMARY/100");
        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.DEGRADED);
        assertThat(result.value()).isEqualTo("PRIMARY answered with 100 tokens");
        assertThat(result.trail()).containsExactly("primary: IOException PRIMARY overloaded",
                "provider BACKUP: IOException BACKUP overloaded", "provider SPARE: IOException SPARE overloaded",
                "degrade", "degraded");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo(FallbackResult.Outcome.DEGRADED);
            assertThat(event.trail()).isEqualTo(result.trail());
        });
        assertThat(fallback.count(FallbackResult.Outcome.DEGRADED)).isEqualTo(1);
    }

    @Test
    void inAnAsynchronousPipelineChosenExceptionsAndResultsFallBackAndOthersPassThrough() throws Exception {
        Fallback<String> fallback = Fallback.<String>builder("async").handle(IOException.class)
                .handleResult(answer -> answer == null || answer.startsWith("error:"))
                .add(FallbackStrategy.answerFrom(failure -> "instead of " + (failure.isException()
                        ? failure.exception().getClass().getSimpleName() : failure.result())))
                .build();
        Pipeline pipeline = Pipeline.builder().add(fallback).clock(clock).build();

        assertThat(run(pipeline, ctx -> CompletableFuture.failedFuture(new IOException("down"))))
                .isEqualTo("instead of IOException");
        assertThat(run(pipeline, ctx -> CompletableFuture.completedFuture(null))).isEqualTo("instead of null");
        assertThat(run(pipeline, ctx -> CompletableFuture.completedFuture("error: quota")))
                .isEqualTo("instead of error: quota");
        assertThat(run(pipeline, ctx -> CompletableFuture.completedFuture("fine"))).isEqualTo("fine");
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> run(pipeline, ctx -> CompletableFuture.failedFuture(bug)))
                .isInstanceOf(ExecutionException.class).hasCauseReference(bug);

        assertThat(fallback.count(FallbackResult.Outcome.SUBSTITUTED)).isEqualTo(3);
        assertThat(fallback.count(FallbackResult.Outcome.SERVED)).isEqualTo(1);
        assertThat(fallback.count(FallbackResult.Outcome.FAILED)).isEqualTo(1);
    }

    @Test
    void aNullOrFalseResultIsAFailureOnlyWhenTheFallbackIsToldSo() throws Exception {
        Fallback<Boolean> accepting = Fallback.<Boolean>builder("flag").add(FallbackStrategy.answer(true)).build();
        Fallback<Boolean> rejecting = Fallback.<Boolean>builder("flag").handleResult(ok -> !Boolean.TRUE.equals(ok))
                .add(FallbackStrategy.answer(true)).build();

        assertThat(accepting.executeForResult(prompt("x"), ctx -> null).outcome()).isEqualTo(FallbackResult.Outcome.SERVED);
        assertThat(accepting.<Boolean>execute(prompt("x"), ctx -> false)).isFalse();
        assertThat(rejecting.<Boolean>execute(prompt("x"), ctx -> null)).isTrue();
        assertThat(rejecting.<Boolean>execute(prompt("x"), ctx -> false)).isTrue();
        assertThat(rejecting.count(FallbackResult.Outcome.SUBSTITUTED)).isEqualTo(2);
        assertThat(Objects.requireNonNull(rejecting.executeForResult(prompt("x"), ctx -> true).value())).isTrue();
    }

    private static String run(Pipeline pipeline, AsyncSupplier<String> call) throws Exception {
        return pipeline.executeAsync(ExecutionContext.detached(), call).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
