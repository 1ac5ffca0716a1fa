package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.fallback.FallbackStrategy.Step;
import dev.bulwark.internal.Outcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a {@link Fallback} once it needs more than the primary's answer: its trail and its latest
 * failure, touched by one stage at a time. Synchronous executions run it over stages completed on the caller's
 * thread, asynchronous ones over the calls' own stages: the same logic either way.
 */
final class FallbackRun<T> {
    private static final Step<?> PASS = new Step<>(null, null, OptionalLong.empty(), null);

    /** How this execution calls the rest of the pipeline. Never throws: failures complete the stage. */
    interface Attempts<T> {
        CompletionStage<T> call(ExecutionContext context);
    }

    private final DefaultFallback<T> fallback;
    private final ExecutionContext context;
    private final Attempts<T> attempts;
    private final List<String> trail;
    private @Nullable Throwable exception;
    private @Nullable T result;

    FallbackRun(DefaultFallback<T> fallback, ExecutionContext context, Attempts<T> attempts, boolean keepTrail) {
        this.fallback = fallback;
        this.context = context;
        this.attempts = attempts;
        this.trail = keepTrail ? new ArrayList<>() : Trail.DISCARDED;
    }

    @SuppressWarnings("unchecked")
    static <T> Step<T> pass() {
        return (Step<T>) PASS;
    }

    String fallbackName() {
        return fallback.name();
    }

    ExecutionContext context() {
        return context;
    }

    /** Runs the primary, then the strategies as needed. Fails only with an error, a cancellation or a user bug. */
    CompletableFuture<FallbackResult<T>> start() {
        return then(callWith(context, "primary", FallbackResult.Outcome.SERVED), 0);
    }

    /** Goes on after the primary threw {@code failure}, which the fallback handles. */
    CompletableFuture<FallbackResult<T>> afterException(Throwable failure) {
        failedAgain("primary", failure);
        return strategy(0);
    }

    /** Goes on after the primary answered {@code rejected}, which the fallback does not accept. */
    CompletableFuture<FallbackResult<T>> afterResult(@Nullable T rejected) {
        rejectedAgain("primary", rejected);
        return strategy(0);
    }

    /**
     * Goes on with strategy {@code index} after the earlier ones (run elsewhere, with the trail discarded) ended
     * with {@code failure} thrown, or with {@code rejected} answered when {@code failure} is null.
     */
    CompletableFuture<FallbackResult<T>> resumeAt(int index, @Nullable Throwable failure, @Nullable T rejected) {
        exception = failure;
        result = failure == null ? rejected : null;
        return strategy(index);
    }

    void note(String entry) {
        trail.add(entry);
    }

    void failedAgain(String label, Throwable error) {
        exception = Objects.requireNonNull(error, "error");
        result = null;
        if (trail != Trail.DISCARDED) {
            trail.add(label + ": " + describe(error));
        }
    }

    private void rejectedAgain(String label, @Nullable T rejected) {
        exception = null;
        result = rejected;
        if (trail != Trail.DISCARDED) {
            trail.add(label + ": result not accepted (" + rejected + ")");
        }
    }

    CompletionStage<Step<T>> callWith(ExecutionContext callContext, String label, FallbackResult.Outcome outcome) {
        Objects.requireNonNull(callContext, "context");
        return attempts.call(callContext).handle((value, error) -> {
            if (error == null) {
                if (fallback.rejects(value)) {
                    rejectedAgain(label, value);
                    return FallbackRun.<T>pass();
                }
                if (outcome != FallbackResult.Outcome.SERVED) {
                    trail.add(label);
                }
                return new Step<>(outcome, value, OptionalLong.empty(), null);
            }
            Throwable cause = Outcomes.unwrap(error);
            if (DefaultFallback.fatal(cause)) {
                throw cause instanceof CompletionException completion ? completion : new CompletionException(cause);
            }
            if (!fallback.handles(cause)) {
                trail.add(label + ": " + describe(cause) + " (not handled)");
                return new Step<>(FallbackResult.Outcome.FAILED, null, OptionalLong.empty(), cause);
            }
            failedAgain(label, cause);
            return FallbackRun.<T>pass();
        });
    }

    private CompletableFuture<FallbackResult<T>> then(CompletionStage<Step<T>> step, int nextStrategy) {
        return step.thenCompose(taken -> taken.ended() ? finish(taken) : strategy(nextStrategy)).toCompletableFuture();
    }

    private CompletableFuture<FallbackResult<T>> strategy(int index) {
        List<FallbackStrategy<T>> order = fallback.strategies();
        if (index == order.size()) {
            trail.add("no strategy answered");
            FallbackResult.Outcome outcome = exception instanceof LoadShedException
                    ? FallbackResult.Outcome.SHED : FallbackResult.Outcome.FAILED;
            return done(outcome, exception == null ? result : null, OptionalLong.empty(), exception);
        }
        FallbackStrategy<T> strategy = order.get(index);
        CompletionStage<Step<T>> step;
        try {
            step = Objects.requireNonNull(strategy.apply(new Failure<>(this, strategy.outcome(), exception, result)),
                    () -> "strategy " + strategy + " returned null");
        } catch (Throwable userBug) {
            return CompletableFuture.failedFuture(userBug);
        }
        return then(step, index + 1);
    }

    private CompletableFuture<FallbackResult<T>> finish(Step<T> step) {
        FallbackResult.Outcome outcome = Objects.requireNonNull(step.outcome());
        T value = step.value();
        if (step.error() == null && value != null
                && (outcome == FallbackResult.Outcome.SERVED || outcome == FallbackResult.Outcome.SWITCHED)) {
            fallback.fullAnswer(context, value);
        }
        trail.add(DefaultFallback.label(outcome));
        Throwable error = outcome == FallbackResult.Outcome.QUEUED ? exception : step.error();
        return done(outcome, value, step.ticket(), error);
    }

    private CompletableFuture<FallbackResult<T>> done(FallbackResult.Outcome outcome, @Nullable T value, OptionalLong ticket,
                                                     @Nullable Throwable error) {
        FallbackResult<T> answer = new FallbackResult<>(outcome, value, ticket, trail, error);
        fallback.ended(answer);
        return CompletableFuture.completedFuture(answer);
    }

    @SuppressWarnings("unchecked")
    static <T, R> Attempts<T> syncAttempts(ContextualSupplier<R> call, Chain next) {
        return attempt -> {
            try {
                return CompletableFuture.completedFuture((T) next.proceed(attempt, call));
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        };
    }

    @SuppressWarnings("unchecked")
    static <T, R> Attempts<T> asyncAttempts(AsyncSupplier<R> call, Chain next) {
        return attempt -> (CompletionStage<T>) next.proceedAsync(attempt, call);
    }

    static <R> FallbackResult<R> join(CompletableFuture<FallbackResult<R>> execution) throws Exception {
        try {
            return execution.get();
        } catch (ExecutionException failure) {
            throw Outcomes.rethrow(Outcomes.unwrap(failure));
        }
    }

    static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : " " + error.getMessage());
    }

    /** A list that forgets what it is given, for executions whose trail nobody will read. */
    private static final class Trail extends java.util.AbstractList<String> {
        static final List<String> DISCARDED = new Trail();

        @Override
        public boolean add(String entry) {
            return false;
        }

        @Override
        public String get(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public int size() {
            return 0;
        }
    }
}
