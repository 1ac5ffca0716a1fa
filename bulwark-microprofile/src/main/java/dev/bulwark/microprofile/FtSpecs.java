package dev.bulwark.microprofile;

import java.time.Duration;
import java.util.List;

/**
 * The effective settings of one operation's annotations, after MicroProfile Config overrides: what the pipeline is
 * built from and what validation checks. Durations are exact ({@code value} in its {@code unit}).
 */
final class FtSpecs {

    private FtSpecs() {
    }

    /** {@code @Retry}. */
    record RetrySpec(int maxRetries, Duration delay, Duration maxDuration, Duration jitter,
                     List<Class<? extends Throwable>> retryOn, List<Class<? extends Throwable>> abortOn) {
    }

    /** {@code @CircuitBreaker}. */
    record CircuitBreakerSpec(List<Class<? extends Throwable>> failOn, List<Class<? extends Throwable>> skipOn, Duration delay,
                              int requestVolumeThreshold, double failureRatio, int successThreshold) {
    }

    /** {@code @Timeout}. */
    record TimeoutSpec(Duration value) {
    }

    /** {@code @Bulkhead}. */
    record BulkheadSpec(int value, int waitingTaskQueue) {
    }

    /** {@code @Fallback}; {@code handler} is null when the annotation names none. */
    record FallbackSpec(Class<?> handler, String fallbackMethod, List<Class<? extends Throwable>> applyOn,
                        List<Class<? extends Throwable>> skipOn) {
    }

    /** Whether {@code failure} is an instance of one of {@code types}. */
    static boolean isAnyOf(Throwable failure, List<Class<? extends Throwable>> types) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }
}
