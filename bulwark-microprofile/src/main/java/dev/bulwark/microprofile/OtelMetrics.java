package dev.bulwark.microprofile;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.time.Clock;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * MicroProfile Fault Tolerance metrics through MicroProfile Telemetry: the instruments of the specification's metrics
 * chapter on the application's {@link OpenTelemetry} bean, one set per container, with the attribute {@code method}
 * telling the guarded methods apart. Counters and histograms are recorded by the probes as calls end; breaker state
 * times and bulkhead occupancy are read from Bulwark's breaker and bulkhead when the metrics are collected. Loaded only
 * when OpenTelemetry's API is on the class path. Thread-safe.
 */
final class OtelMetrics {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    private static final List<Double> SECONDS_BUCKETS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    private static final double NANOS_PER_SECOND = 1e9;

    private final Meter meter;
    private final LongCounter invocations;
    private final LongCounter retryCalls;
    private final LongCounter retryRetries;
    private final LongCounter timeoutCalls;
    private final DoubleHistogram timeoutDuration;
    private final LongCounter breakerCalls;
    private final LongCounter bulkheadCalls;
    private final DoubleHistogram bulkheadRunning;
    private final DoubleHistogram bulkheadWaiting;

    /** On {@code openTelemetry}, an {@link OpenTelemetry} (typed Object so callers need not load OpenTelemetry). */
    OtelMetrics(Object openTelemetry) {
        meter = ((OpenTelemetry) openTelemetry).getMeter("dev.bulwark.microprofile");
        invocations = counter("ft.invocations.total", "The number of times the method was called");
        retryCalls = counter("ft.retry.calls.total", "The number of times the retry logic was run");
        retryRetries = counter("ft.retry.retries.total", "The number of times the method was retried");
        timeoutCalls = counter("ft.timeout.calls.total", "The number of times the timeout logic was run");
        timeoutDuration = seconds("ft.timeout.executionDuration", "Histogram of execution times for the method");
        breakerCalls = counter("ft.circuitbreaker.calls.total", "The number of times the circuit breaker logic was run");
        bulkheadCalls = counter("ft.bulkhead.calls.total", "The number of times the bulkhead logic was run");
        bulkheadRunning = seconds("ft.bulkhead.runningDuration", "Histogram of the time executions spend running");
        bulkheadWaiting = seconds("ft.bulkhead.waitingDuration", "Histogram of the time executions spend waiting");
    }

    private LongCounter counter(String name, String description) {
        return meter.counterBuilder(name).setDescription(description).build();
    }

    private DoubleHistogram seconds(String name, String description) {
        return meter.histogramBuilder(name).setDescription(description).setUnit("seconds")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS).build();
    }

    /** The metrics of one method, {@code method} being its fully qualified name ({@code com.example.Shop.order}). */
    MethodMetrics forMethod(String method) {
        return new ForMethod(method);
    }

    private final class ForMethod implements MethodMetrics {
        private final String method;
        private final Attributes attributes;

        ForMethod(String method) {
            this.method = method;
            this.attributes = Attributes.of(METHOD, method);
        }

        private Attributes with(String key, String value) {
            return Attributes.of(METHOD, method, AttributeKey.stringKey(key), value);
        }

        @Override
        public void invocation(boolean valueReturned, String fallback) {
            invocations.add(1, Attributes.of(METHOD, method, AttributeKey.stringKey("result"),
                    valueReturned ? "valueReturned" : "exceptionThrown", AttributeKey.stringKey("fallback"), fallback));
        }

        @Override
        public void retryCall(int attempts, String result) {
            retryCalls.add(1, Attributes.of(METHOD, method, AttributeKey.stringKey("retried"),
                    String.valueOf(attempts > 1), AttributeKey.stringKey("retryResult"), result));
            if (attempts > 1) {
                retryRetries.add(attempts - 1L, attributes);
            }
        }

        @Override
        public void timeoutCall(boolean timedOut, long nanos) {
            timeoutCalls.add(1, with("timedOut", String.valueOf(timedOut)));
            timeoutDuration.record(nanos / NANOS_PER_SECOND, attributes);
        }

        @Override
        public void breakerCall(String result) {
            breakerCalls.add(1, with("circuitBreakerResult", result));
        }

        @Override
        public void watch(CircuitBreaker breaker) {
            StateTimes times = new StateTimes(breaker.state());
            breaker.subscribe(event -> {
                if (event instanceof CircuitBreaker.Event.StateTransition transition) {
                    times.moved(transition.to());
                }
            });
            meter.counterBuilder("ft.circuitbreaker.opened.total")
                    .setDescription("Number of times the circuit breaker has moved from closed state to open state")
                    .buildWithCallback(measurement -> measurement.record(times.opened(), attributes));
            meter.counterBuilder("ft.circuitbreaker.state.total").setUnit("nanoseconds")
                    .setDescription("Amount of time the circuit breaker has spent in each state")
                    .buildWithCallback(measurement -> times.nanosByState().forEach(
                            (state, nanos) -> measurement.record(nanos, with("state", state))));
        }

        @Override
        public void bulkheadCall(boolean accepted) {
            bulkheadCalls.add(1, with("bulkheadResult", accepted ? "accepted" : "rejected"));
        }

        @Override
        public void bulkheadWaited(long nanos) {
            bulkheadWaiting.record(nanos / NANOS_PER_SECOND, attributes);
        }

        @Override
        public void bulkheadRan(long nanos) {
            bulkheadRunning.record(nanos / NANOS_PER_SECOND, attributes);
        }

        @Override
        public void watch(Bulkhead bulkhead, boolean queues) {
            meter.upDownCounterBuilder("ft.bulkhead.executionsRunning")
                    .setDescription("Number of currently running executions")
                    .buildWithCallback(measurement -> measurement.record(bulkhead.inFlight(), attributes));
            if (!queues) {
                return;
            }
            meter.upDownCounterBuilder("ft.bulkhead.executionsWaiting")
                    .setDescription("Number of executions currently waiting in the queue")
                    .buildWithCallback(measurement -> measurement.record(bulkhead.waiting(), attributes));
        }
    }

    /** How long a breaker has been in each of the specification's states (open, halfOpen, closed), and its openings. */
    private static final class StateTimes {
        private final Clock clock = Clock.system();
        private final Map<CircuitBreaker.State, Long> nanos = new EnumMap<>(CircuitBreaker.State.class);
        private CircuitBreaker.State state;
        private long since;
        private long opened;

        StateTimes(CircuitBreaker.State initial) {
            state = initial;
            since = clock.nanoTime();
        }

        synchronized void moved(CircuitBreaker.State to) {
            long now = clock.nanoTime();
            nanos.merge(state, now - since, Long::sum);
            if (isOpen(to) && !isOpen(state)) {
                opened++;
            }
            state = to;
            since = now;
        }

        synchronized long opened() {
            return opened;
        }

        synchronized Map<String, Long> nanosByState() {
            long now = clock.nanoTime();
            Map<String, Long> out = new java.util.LinkedHashMap<>();
            out.put("closed", 0L);
            out.put("open", 0L);
            out.put("halfOpen", 0L);
            nanos.forEach((known, spent) -> out.merge(specName(known), spent, Long::sum));
            out.merge(specName(state), now - since, Long::sum);
            return out;
        }

        private static boolean isOpen(CircuitBreaker.State state) {
            return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
        }

        private static String specName(CircuitBreaker.State state) {
            return isOpen(state) ? "open" : state == CircuitBreaker.State.HALF_OPEN ? "halfOpen" : "closed";
        }
    }
}
