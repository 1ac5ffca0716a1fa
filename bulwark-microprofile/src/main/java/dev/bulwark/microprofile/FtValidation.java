package dev.bulwark.microprofile;

import dev.bulwark.microprofile.FtSpecs.BulkheadSpec;
import dev.bulwark.microprofile.FtSpecs.CircuitBreakerSpec;
import dev.bulwark.microprofile.FtSpecs.FallbackSpec;
import dev.bulwark.microprofile.FtSpecs.RetrySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Fallback;

/**
 * Definition-time checks of one operation, as the specification requires them to fail deployment. Each problem is one
 * message naming the annotation, the class and method, the parameter, its value and the allowed range, such as
 * {@code @Retry on com.example.Shop#order(String): maxRetries must be >= -1, was -2}.
 */
final class FtValidation {

    private FtValidation() {
    }

    /** Every problem found; empty when the operation is valid. */
    static List<String> check(OperationConfig operation) {
        List<String> problems = new ArrayList<>();
        String where = operation.where();
        operation.retry().ifPresent(retry -> retry(where, retry, problems));
        operation.circuitBreaker().ifPresent(breaker -> breaker(where, breaker, problems));
        operation.timeout().ifPresent(timeout -> {
            if (timeout.value().isNegative()) {
                problems.add(message("Timeout", where, "value", millis(timeout.value()), ">= 0"));
            }
        });
        operation.bulkhead().ifPresent(bulkhead -> bulkhead(where, bulkhead, problems));
        if (operation.present(Asynchronous.class)) {
            Class<?> returns = operation.method().getReturnType();
            if (returns != Future.class && returns != CompletionStage.class) {
                problems.add("@Asynchronous on " + where + ": the return type must be java.util.concurrent.Future or "
                        + "java.util.concurrent.CompletionStage, was " + returns.getName());
            }
        }
        if (operation.present(Fallback.class)) {
            // a disabled fallback is still checked: enabling it later must not fail at run time
            operation.fallback().ifPresent(fallback -> fallback(operation, fallback, problems));
        }
        return problems;
    }

    private static void retry(String where, RetrySpec retry, List<String> problems) {
        if (retry.maxRetries() < -1) {
            problems.add(message("Retry", where, "maxRetries", retry.maxRetries(), ">= -1 (-1: no limit)"));
        }
        if (retry.delay().isNegative()) {
            problems.add(message("Retry", where, "delay", millis(retry.delay()), ">= 0"));
        }
        if (retry.jitter().isNegative()) {
            problems.add(message("Retry", where, "jitter", millis(retry.jitter()), ">= 0"));
        }
        if (retry.maxDuration().isNegative()) {
            problems.add(message("Retry", where, "maxDuration", millis(retry.maxDuration()), ">= 0 (0: no limit)"));
        } else if (!retry.maxDuration().isZero() && retry.maxDuration().compareTo(retry.delay()) <= 0) {
            problems.add(message("Retry", where, "maxDuration", millis(retry.maxDuration()),
                    "greater than delay (" + millis(retry.delay()) + ")"));
        }
    }

    private static void breaker(String where, CircuitBreakerSpec breaker, List<String> problems) {
        if (breaker.delay().isNegative()) {
            problems.add(message("CircuitBreaker", where, "delay", millis(breaker.delay()), ">= 0"));
        }
        if (breaker.requestVolumeThreshold() < 1) {
            problems.add(message("CircuitBreaker", where, "requestVolumeThreshold", breaker.requestVolumeThreshold(), ">= 1"));
        }
        if (breaker.failureRatio() < 0 || breaker.failureRatio() > 1 || Double.isNaN(breaker.failureRatio())) {
            problems.add(message("CircuitBreaker", where, "failureRatio", breaker.failureRatio(), "in [0, 1]"));
        }
        if (breaker.successThreshold() < 1) {
            problems.add(message("CircuitBreaker", where, "successThreshold", breaker.successThreshold(), ">= 1"));
        }
    }

    private static void bulkhead(String where, BulkheadSpec bulkhead, List<String> problems) {
        if (bulkhead.value() < 1) {
            problems.add(message("Bulkhead", where, "value", bulkhead.value(), ">= 1"));
        }
        if (bulkhead.waitingTaskQueue() < 1) {
            problems.add(message("Bulkhead", where, "waitingTaskQueue", bulkhead.waitingTaskQueue(), ">= 1"));
        }
    }

    private static void fallback(OperationConfig operation, FallbackSpec fallback, List<String> problems) {
        String where = operation.where();
        boolean handler = fallback.handler() != Fallback.DEFAULT.class;
        boolean method = !fallback.fallbackMethod().isEmpty();
        if (handler && method) {
            problems.add("@Fallback on " + where + ": give either value (a FallbackHandler class, was "
                    + fallback.handler().getName() + ") or fallbackMethod (was '" + fallback.fallbackMethod() + "'), not both");
            return;
        }
        if (handler) {
            String mismatch = FallbackMethods.handlerMismatch(fallback.handler(), operation.method());
            if (mismatch != null) {
                problems.add("@Fallback on " + where + ": value " + mismatch);
            }
        } else if (method && FallbackMethods.find(operation.beanClass(), operation.method(), fallback.fallbackMethod()) == null) {
            problems.add("@Fallback on " + where + ": fallbackMethod '" + fallback.fallbackMethod() + "' must name a method of "
                    + operation.beanClass().getName() + " (or a superclass or interface) with the parameters and return type of "
                    + FallbackMethods.signature(operation.method()) + "; none found");
        }
    }

    private static String message(String annotation, String where, String param, Object value, String range) {
        return "@" + annotation + " on " + where + ": " + param + " must be " + range + ", was " + value;
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}
