package dev.bulwark.microprofile;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.microprofile.FtSpecs.FallbackSpec;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.jspecify.annotations.Nullable;

/**
 * One guarded method at run time, shared by every instance of its bean (the specification makes a circuit breaker's
 * and a bulkhead's state per method, not per instance): its pipeline, its fallback and whether it runs
 * asynchronously. Thread-safe.
 */
final class FtOperation {

    private final OperationConfig config;
    private final @Nullable Pipeline pipeline;
    private final @Nullable FallbackSpec fallback;
    private final @Nullable Method fallbackMethod;
    private final boolean async;
    private final @Nullable MethodMetrics metrics;

    FtOperation(OperationConfig config) {
        this(config, null);
    }

    /** With {@code metrics}, the operation records the specification's metrics there. */
    FtOperation(OperationConfig config, @Nullable MethodMetrics metrics) {
        this.config = config;
        this.async = config.asynchronous();
        String name = config.where();
        this.pipeline = Pipelines.build(name, config.retry(), config.circuitBreaker(), config.timeout(), config.bulkhead(),
                async, metrics).orElse(null);
        this.fallback = config.fallback().orElse(null);
        // ft.invocations.total exists for methods with a policy or a fallback (@Asynchronous alone has none)
        this.metrics = pipeline != null || fallback != null ? metrics : null;
        Method found = null;
        if (fallback != null && !fallback.fallbackMethod().isEmpty()) {
            found = FallbackMethods.find(config.beanClass(), config.method(), fallback.fallbackMethod());
            if (found != null) {
                found.setAccessible(true);
            }
        }
        this.fallbackMethod = found;
    }

    /** Runs one invocation of the guarded method. */
    @Nullable Object invoke(InvocationContext invocation, FtRuntime runtime) throws Exception {
        if (async) {
            return invokeAsync(invocation, runtime);
        }
        Object value;
        try {
            Pipeline policies = pipeline;
            value = policies == null ? invocation.proceed()
                    : policies.execute(ExecutionContext.detached(), context -> invocation.proceed());
        } catch (Exception | Error failure) {
            return fallbackOrThrow(invocation, runtime, failure);
        }
        record(true, false);
        return value;
    }

    private @Nullable Object fallbackOrThrow(InvocationContext invocation, FtRuntime runtime, Throwable failure) throws Exception {
        FallbackSpec spec = fallback;
        if (spec == null || FtSpecs.isAnyOf(failure, spec.skipOn()) || !FtSpecs.isAnyOf(failure, spec.applyOn())) {
            record(false, false);
            throw rethrow(failure);
        }
        Object replacement;
        try {
            replacement = callFallback(invocation, runtime, spec, failure);
        } catch (Exception | Error fallbackFailure) {
            record(false, true);
            throw fallbackFailure;
        }
        record(true, true);
        return replacement;
    }

    /** Counts one ended invocation in {@code ft.invocations.total}. */
    private void record(boolean valueReturned, boolean fallbackApplied) {
        MethodMetrics recorder = metrics;
        if (recorder != null) {
            recorder.invocation(valueReturned, fallbackApplied ? "applied" : fallback == null ? "notDefined" : "notApplied");
        }
    }

    private @Nullable Object callFallback(InvocationContext invocation, FtRuntime runtime, FallbackSpec spec,
                                          Throwable failure) throws Exception {
        Method method = fallbackMethod;
        if (method != null) {
            try {
                return method.invoke(invocation.getTarget(), invocation.getParameters());
            } catch (InvocationTargetException thrown) {
                throw rethrow(thrown.getCause() == null ? thrown : thrown.getCause());
            }
        }
        FallbackHandler<?> handler = runtime.handler(spec.handler());
        Object[] parameters = invocation.getParameters();
        Method guarded = invocation.getMethod();
        return handler.handle(new org.eclipse.microprofile.faulttolerance.ExecutionContext() {
            @Override
            public Method getMethod() {
                return guarded;
            }

            @Override
            public Object[] getParameters() {
                return parameters;
            }

            @Override
            public Throwable getFailure() {
                return failure;
            }
        });
    }

    private Object invokeAsync(InvocationContext invocation, FtRuntime runtime) {
        boolean returnsFuture = config.method().getReturnType() == Future.class;
        AsyncCalls.Cancellation cancellation = new AsyncCalls.Cancellation();
        Pipeline policies = pipeline;
        CompletionStage<Object> stage = policies == null
                ? offload(invocation, runtime, returnsFuture, cancellation)
                : policies.executeAsync(ExecutionContext.detached(),
                        context -> offload(invocation, runtime, returnsFuture, cancellation));
        AsyncCalls.CallerFuture outcome = new AsyncCalls.CallerFuture(cancellation);
        stage.whenComplete((value, error) -> {
            if (error == null) {
                record(true, false);
                outcome.complete(value);
                return;
            }
            Throwable failure = MpExceptions.unwrap(error);
            FallbackSpec spec = fallback;
            if (spec == null || FtSpecs.isAnyOf(failure, spec.skipOn()) || !FtSpecs.isAnyOf(failure, spec.applyOn())
                    || outcome.isCancelled()) {
                record(false, false);
                outcome.completeExceptionally(failure);
                return;
            }
            try {
                Object replacement = callFallback(invocation, runtime, spec, failure);
                if (returnsFuture) {
                    record(true, true);
                    outcome.complete(replacement);
                } else {
                    CompletableFuture<Object> fallbackOutcome = new CompletableFuture<>();
                    complete(fallbackOutcome, replacement);
                    fallbackOutcome.whenComplete((fallbackValue, fallbackError) -> {
                        record(fallbackError == null, true);
                        if (fallbackError == null) {
                            outcome.complete(fallbackValue);
                        } else {
                            outcome.completeExceptionally(fallbackError);
                        }
                    });
                }
            } catch (Throwable fallbackFailure) {
                record(false, true);
                outcome.completeExceptionally(fallbackFailure);
            }
        });
        outcome.whenComplete((value, error) -> {
            if (outcome.isCancelled()) {
                stage.toCompletableFuture().cancel(true);
            }
        });
        // a Future's own outcome is the caller's business (not a failure of the call), so the caller's future follows it
        return returnsFuture ? new AsyncCalls.FutureResult(outcome, cancellation) : outcome;
    }

    /**
     * Runs the method on the asynchronous executor, with a request context active. The stage completes when the method
     * has returned (with its value for a {@code Future}, with its stage's outcome for a {@code CompletionStage});
     * cancelling it interrupts the method (unless the caller cancelled without interrupting) but does not complete it
     * while the method still runs, so a bulkhead keeps counting the method until it has really ended.
     */
    private CompletionStage<Object> offload(InvocationContext invocation, FtRuntime runtime, boolean returnsFuture,
                                            AsyncCalls.Cancellation cancellation) {
        AsyncCalls.Offloaded result = new AsyncCalls.Offloaded(cancellation);
        result.start(runtime, () -> {
            try {
                Object returned = invocation.proceed();
                if (returnsFuture) {
                    result.finish(returned);
                } else {
                    complete(result.sink(), returned);
                }
            } catch (Throwable failure) {
                result.sink().completeExceptionally(failure);
            }
        });
        return result;
    }

    /** Completes {@code target} with what a method returned: a stage's or future's outcome, or nothing. */
    private static void complete(CompletableFuture<Object> target, @Nullable Object returned) {
        if (returned instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                if (error == null) {
                    target.complete(value);
                } else {
                    target.completeExceptionally(MpExceptions.unwrap(error));
                }
            });
        } else if (returned instanceof Future<?> future) {
            try {
                target.complete(future.get());
            } catch (ExecutionException failed) {
                target.completeExceptionally(failed.getCause() == null ? failed : failed.getCause());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                target.completeExceptionally(interrupted);
            } catch (RuntimeException cancelled) {
                target.completeExceptionally(cancelled);
            }
        } else {
            target.complete(returned);
        }
    }

    static Exception rethrow(Throwable failure) throws Exception {
        if (failure instanceof Error error) {
            throw error;
        }
        throw (Exception) failure;
    }

    Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }
}
