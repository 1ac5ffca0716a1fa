package dev.bulwark.microprofile;

import dev.bulwark.ExecutionContext;
import dev.bulwark.bulkhead.BulkheadFullException;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.microprofile.FtSpecs.CircuitBreakerSpec;
import dev.bulwark.microprofile.FtSpecs.RetrySpec;
import dev.bulwark.time.Clock;
import dev.bulwark.timeout.TimeoutExceededException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The probes that record a method's metrics, one pair per policy where the metric needs both sides (attempts inside a
 * retry, the wait before a bulkhead's permit). Each probe sits right inside the policy's {@link MpExceptions}, so it
 * sees Bulwark's own rejections.
 */
final class MetricProbes {

    private static final ExecutionContext.Key<AtomicInteger> ATTEMPTS =
            ExecutionContext.Key.of("bulwark.microprofile.attempts", AtomicInteger.class);
    private static final ExecutionContext.Key<Long> BULKHEAD_ENTERED =
            ExecutionContext.Key.of("bulwark.microprofile.bulkheadEntered", Long.class);

    private MetricProbes() {
    }

    /** Outside the retry: one {@code ft.retry.calls.total} per call, with why its last attempt was not retried. */
    static Probe retryOutside(String name, RetrySpec spec, MethodMetrics metrics) {
        return new Probe(name + ":retry-metrics", new Probe.Watcher() {
            @Override
            public ExecutionContext enter(ExecutionContext context) {
                return context.with(ATTEMPTS, new AtomicInteger());
            }

            @Override
            public void exit(ExecutionContext context, long nanos, @Nullable Throwable failure) {
                int attempts = Math.max(1, context.get(ATTEMPTS).map(AtomicInteger::get).orElse(1));
                metrics.retryCall(attempts, retryResult(spec, attempts, failure));
            }
        });
    }

    /** Inside the retry: counts the attempts of the call the outer probe watches. */
    static Probe retryInside(String name) {
        return new Probe(name + ":attempt-metrics", new Probe.Watcher() {
            @Override
            public ExecutionContext enter(ExecutionContext context) {
                context.get(ATTEMPTS).ifPresent(AtomicInteger::incrementAndGet);
                return context;
            }

            @Override
            public void exit(ExecutionContext context, long nanos, @Nullable Throwable failure) {
            }
        });
    }

    static String retryResult(RetrySpec spec, int attempts, @Nullable Throwable failure) {
        if (failure == null) {
            return "valueReturned";
        }
        if (FtSpecs.isAnyOf(failure, spec.abortOn()) || !FtSpecs.isAnyOf(failure, spec.retryOn())) {
            return "exceptionNotRetryable";
        }
        if (spec.maxRetries() != -1 && attempts > spec.maxRetries()) {
            return "maxRetriesReached";
        }
        return "maxDurationReached";
    }

    /** Outside the breaker: success, failure (by failOn and skipOn) or circuitBreakerOpen. */
    static Probe breaker(String name, CircuitBreakerSpec spec, MethodMetrics metrics) {
        return new Probe(name + ":circuit-metrics", (context, nanos, failure) -> metrics.breakerCall(
                failure == null ? "success"
                        : failure instanceof CircuitOpenException ? "circuitBreakerOpen"
                        : FtSpecs.isAnyOf(failure, spec.failOn()) && !FtSpecs.isAnyOf(failure, spec.skipOn()) ? "failure"
                        : "success"));
    }

    /** Outside the timeout: timed out or not, and how long the call ran. */
    static Probe timeout(String name, MethodMetrics metrics) {
        return new Probe(name + ":timeout-metrics", (context, nanos, failure) ->
                metrics.timeoutCall(failure instanceof TimeoutExceededException, nanos));
    }

    /** Outside the bulkhead: counts rejections and marks when the call arrived. */
    static Probe bulkheadOutside(String name, MethodMetrics metrics) {
        Clock clock = Clock.system();
        return new Probe(name + ":bulkhead-metrics", new Probe.Watcher() {
            @Override
            public ExecutionContext enter(ExecutionContext context) {
                return context.with(BULKHEAD_ENTERED, clock.nanoTime());
            }

            @Override
            public void exit(ExecutionContext context, long nanos, @Nullable Throwable failure) {
                if (failure instanceof BulkheadFullException) {
                    metrics.bulkheadCall(false);
                }
            }
        });
    }

    /** Inside the bulkhead: an accepted call, how long it waited for its permit (if it can queue) and held it. */
    static Probe bulkheadInside(String name, MethodMetrics metrics, boolean queues) {
        Clock clock = Clock.system();
        return new Probe(name + ":permit-metrics", new Probe.Watcher() {
            @Override
            public ExecutionContext enter(ExecutionContext context) {
                metrics.bulkheadCall(true);
                if (queues) {
                    context.get(BULKHEAD_ENTERED).ifPresent(entered -> metrics.bulkheadWaited(clock.nanoTime() - entered));
                }
                return context;
            }

            @Override
            public void exit(ExecutionContext context, long nanos, @Nullable Throwable failure) {
                metrics.bulkheadRan(nanos);
            }
        });
    }
}
