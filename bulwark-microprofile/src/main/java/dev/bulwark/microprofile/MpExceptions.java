package dev.bulwark.microprofile;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.bulkhead.BulkheadFullException;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import dev.bulwark.timeout.TimeoutExceededException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * A policy placed right outside each Bulwark circuit breaker, timeout and bulkhead of a MicroProfile operation: it
 * turns Bulwark's {@link CircuitOpenException}, {@link TimeoutExceededException} and {@link BulkheadFullException}
 * into MicroProfile's {@link CircuitBreakerOpenException}, {@link TimeoutException} and {@link BulkheadException}
 * (the Bulwark exception as cause), so the policies outside it ({@code retryOn}, {@code failOn}, {@code applyOn})
 * and the caller see the types the specification names. Everything else passes unchanged.
 */
final class MpExceptions implements Policy {

    private final String name;

    MpExceptions(String name) {
        this.name = name;
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        try {
            return next.proceed(context, call);
        } catch (CircuitOpenException | TimeoutExceededException | BulkheadFullException bulwark) {
            throw translate(bulwark);
        }
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        CompletionStage<T> stage = next.proceedAsync(context, call);
        CompletableFuture<T> outcome = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                outcome.complete(value);
            } else {
                outcome.completeExceptionally(translate(unwrap(error)));
            }
        });
        outcome.whenComplete((value, error) -> {
            if (outcome.isCancelled()) {
                stage.toCompletableFuture().cancel(true);
            }
        });
        return outcome;
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static Throwable translate(Throwable failure) {
        if (failure instanceof CircuitOpenException) {
            return new CircuitBreakerOpenException(failure.getMessage(), failure);
        }
        if (failure instanceof TimeoutExceededException) {
            return new TimeoutException(failure.getMessage(), failure);
        }
        if (failure instanceof BulkheadFullException) {
            return new BulkheadException(failure.getMessage(), failure);
        }
        return failure;
    }

    static Exception translate(Exception failure) {
        return (Exception) translate((Throwable) failure);
    }

    @Override
    public Clock clock() {
        return Clock.system();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return Policy.class;
    }
}
