package dev.bulwark.fallback;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.Outcomes;
import dev.bulwark.internal.PolicySupport;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The fallback: runs the call, answers at once when it may, and hands the rest of an execution to a
 * {@link FallbackRun}; counts every execution's outcome and publishes its {@link Fallback.Event}.
 */
final class DefaultFallback<T> extends PolicySupport<Fallback.Event> implements Fallback<T> {
    private static final FallbackResult.Outcome[] OUTCOMES = FallbackResult.Outcome.values();
    private static final String[] LABELS = new String[OUTCOMES.length];
    private static final List<String> SERVED_TRAIL;

    static {
        for (FallbackResult.Outcome outcome : OUTCOMES) {
            LABELS[outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
        }
        SERVED_TRAIL = List.of(label(FallbackResult.Outcome.SERVED));
    }

    private final Config<T> config;
    private final Predicate<? super Throwable> handled;
    private final @Nullable Predicate<? super T> unacceptedResult;
    private final LongAdder[] counts = new LongAdder[OUTCOMES.length];

    DefaultFallback(Config<T> config) {
        super("fallback", Objects.requireNonNull(config, "config").name(), config.clock());
        this.config = config;
        this.handled = FallbackSettings.handledCondition(config);
        this.unacceptedResult = config.unacceptedResult();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> R intercept(ExecutionContext context, ContextualSupplier<R> call, Chain next) throws Exception {
        R value;
        try {
            value = next.proceed(context, call);
        } catch (Exception failure) {
            if (!handles(failure)) {
                unhandled(failure);
                throw failure;
            }
            boolean listened = hasListeners();
            if (!listened && !config.strategies().isEmpty() && config.strategies().get(0) instanceof SwitchProvider<T, ?> switchProvider) {
                return switchedInPlace(switchProvider, failure, context, call, next);
            }
            FallbackRun<T> run = new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, next), listened);
            return valueOf(FallbackRun.join(run.afterException(failure)));
        }
        if (rejects((T) value)) {
            FallbackRun<T> run = new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, next), hasListeners());
            return valueOf(FallbackRun.join(run.afterResult((T) value)));
        }
        if (value != null) {
            fullAnswer(context, (T) value);
        }
        counts[FallbackResult.Outcome.SERVED.ordinal()].increment();
        if (hasListeners()) {
            publish(new Event.Served(name(), SERVED_TRAIL));
        }
        return value;
    }

    /**
     * The synchronous switch when nobody reads the trail: the same verdicts as {@link FallbackRun} (and the same
     * counts), without its stages. When no alternative answers, the run goes on from the next strategy.
     */
    @SuppressWarnings("unchecked")
    private <R> R switchedInPlace(SwitchProvider<T, ?> switchProvider, Exception primaryFailure, ExecutionContext context,
                                  ContextualSupplier<R> call, Chain next) throws Exception {
        Throwable failure = primaryFailure;
        R rejected = null;
        for (int i = 0; i < switchProvider.size(); i++) {
            R value;
            try {
                value = next.proceed(switchProvider.contextFor(context, i), call);
            } catch (Throwable thrown) {
                Throwable cause = Outcomes.unwrap(thrown);
                if (fatal(cause)) {
                    throw Outcomes.rethrow(cause);
                }
                if (!handles(cause)) {
                    counts[FallbackResult.Outcome.FAILED.ordinal()].increment();
                    throw Outcomes.rethrow(cause);
                }
                failure = cause;
                continue;
            }
            if (rejects((T) value)) {
                failure = null;
                rejected = value;
                continue;
            }
            if (value != null) {
                fullAnswer(context, (T) value);
            }
            counts[FallbackResult.Outcome.SWITCHED.ordinal()].increment();
            return value;
        }
        FallbackRun<T> run = new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, next), false);
        return valueOf(FallbackRun.join(run.resumeAt(1, failure, (T) rejected)));
    }

    @Override
    public <R> CompletionStage<R> interceptAsync(ExecutionContext context, AsyncSupplier<R> call, Chain next) {
        return new FallbackRun<>(this, context, FallbackRun.asyncAttempts(call, next), hasListeners()).start()
                .thenCompose(result -> {
                    try {
                        return CompletableFuture.completedFuture(this.<R>valueOf(result));
                    } catch (Exception failure) {
                        return CompletableFuture.failedFuture(failure);
                    }
                });
    }

    @Override
    public FallbackResult<T> executeForResult(ExecutionContext context, ContextualSupplier<? extends T> call)
            throws Exception {
        return FallbackRun.join(new FallbackRun<>(this, context, FallbackRun.syncAttempts(call, Chain.end()), true).start());
    }

    @Override
    public CompletionStage<FallbackResult<T>> executeForResultAsync(ExecutionContext context,
                                                                    AsyncSupplier<? extends T> call) {
        return new FallbackRun<>(this, context, FallbackRun.asyncAttempts(call, Chain.end()), true).start();
    }

    @SuppressWarnings("unchecked")
    private <R> R valueOf(FallbackResult<T> result) throws Exception {
        if (result.outcome() == FallbackResult.Outcome.QUEUED) {
            throw new QueuedException(name(), result.ticket().orElseThrow(), result.error());
        }
        Throwable error = result.error();
        if (error != null) {
            throw Outcomes.rethrow(error);
        }
        return (R) dev.bulwark.internal.Nullness.callersValue(result.value());
    }

    /** Errors and cancellations end an execution at once: no fallback answers for a caller who gave up. */
    static boolean fatal(Throwable error) {
        return error instanceof Error || Outcomes.isCancellation(error);
    }

    boolean handles(Throwable error) {
        return !fatal(error) && handled.test(error);
    }

    boolean rejects(@Nullable T value) {
        return unacceptedResult != null && unacceptedResult.test(value);
    }

    void fullAnswer(ExecutionContext context, T value) {
        List<FallbackStrategy<T>> strategies = config.strategies();
        for (int i = 0; i < strategies.size(); i++) {
            strategies.get(i).onFullAnswer(context, value);
        }
    }

    /** The outcome as the trail's last entry names it: {@code served}, {@code switched}, ... */
    static String label(FallbackResult.Outcome outcome) {
        return LABELS[outcome.ordinal()];
    }

    /** Counts an exception this fallback does not handle (errors and cancellations are not counted). */
    private void unhandled(Exception failure) {
        if (fatal(failure)) {
            return;
        }
        counts[FallbackResult.Outcome.FAILED.ordinal()].increment();
        if (hasListeners()) {
            publish(new Event.Failed(name(), failure, List.of(
                    "primary: " + FallbackRun.describe(failure) + " (not handled)", label(FallbackResult.Outcome.FAILED))));
        }
    }

    /** Counts how an execution that needed more than the primary's answer ended, and tells the listeners. */
    void ended(FallbackResult<T> result) {
        counts[result.outcome().ordinal()].increment();
        if (hasListeners()) {
            publish(eventOf(result));
        }
    }

    private Event eventOf(FallbackResult<T> result) {
        List<String> trail = result.trail();
        return switch (result.outcome()) {
            case SERVED -> new Event.Served(name(), trail);
            case QUEUED -> result.ticket().isPresent()
                    ? new Event.Queued(name(), result.ticket().getAsLong(), trail)
                    // a strategy of the caller's own that reports QUEUED but answered a value, without a ticket
                    : new Event.Answered(name(), FallbackResult.Outcome.QUEUED, trail);
            case SHED -> new Event.Shed(name(), result.error(), trail);
            case FAILED -> new Event.Failed(name(), result.error(), trail);
            default -> new Event.Answered(name(), result.outcome(), trail);
        };
    }

    @Override
    public Config<T> config() {
        return config;
    }

    @Override
    public List<FallbackStrategy<T>> strategies() {
        return config.strategies();
    }

    @Override
    public long count(FallbackResult.Outcome outcome) {
        return counts[outcome.ordinal()].sum();
    }

    @Override
    public String toString() {
        return "Fallback[" + name() + ", " + config.strategies() + "]";
    }
}
