package dev.bulwark.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Pipeline;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.microprofile.FtSpecs.BulkheadSpec;
import dev.bulwark.microprofile.FtSpecs.CircuitBreakerSpec;
import dev.bulwark.microprofile.FtSpecs.RetrySpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** The metrics a method's pipeline records, with the specification's attribute values. */
class MetricProbesTest {

    private final Recorded metrics = new Recorded();

    private static RetrySpec retry(int maxRetries, List<Class<? extends Throwable>> abortOn) {
        return new RetrySpec(maxRetries, Duration.ZERO, Duration.ofMinutes(3), Duration.ZERO, List.of(Exception.class), abortOn);
    }

    private Pipeline pipeline(Optional<RetrySpec> retry, Optional<CircuitBreakerSpec> breaker, Optional<BulkheadSpec> bulkhead) {
        return Pipelines.build("m", retry, breaker, Optional.empty(), bulkhead, false, metrics).orElseThrow();
    }

    @Test
    void aRetryThatSucceedsOnItsThirdAttemptIsOneRetriedCallReturningAValue() throws Exception {
        Pipeline pipeline = pipeline(Optional.of(retry(5, List.of())), Optional.empty(), Optional.empty());
        AtomicInteger attempts = new AtomicInteger();

        assertThat(pipeline.execute(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("down");
            }
            return "ok";
        })).isEqualTo("ok");

        assertThat(metrics.events).containsExactly("retry attempts=3 valueReturned");
    }

    @Test
    void retryResultsNameWhyTheLastAttemptWasNotRetried() {
        Pipeline counted = pipeline(Optional.of(retry(2, List.of(IllegalStateException.class))), Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> counted.execute(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> counted.execute(() -> {
            throw new IllegalStateException("abort");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(metrics.events).containsExactly("retry attempts=3 maxRetriesReached",
                "retry attempts=1 exceptionNotRetryable");
        assertThat(MetricProbes.retryResult(retry(-1, List.of()), 7, new IOException("down")))
                .as("a retryable failure before any count limit: maxDuration stopped it").isEqualTo("maxDurationReached");
    }

    @Test
    void theBreakerCountsFailuresByFailOnAndRejectionsAsCircuitBreakerOpen() {
        CircuitBreakerSpec spec = new CircuitBreakerSpec(List.of(IOException.class), List.of(), Duration.ofMinutes(1), 1, 1.0, 1);
        Pipeline pipeline = pipeline(Optional.empty(), Optional.of(spec), Optional.empty());

        assertThatThrownBy(() -> pipeline.execute(() -> {
            throw new IllegalArgumentException("not in failOn");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pipeline.execute(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> pipeline.execute(() -> "never")).isInstanceOf(CircuitBreakerOpenException.class);

        assertThat(metrics.events).containsExactly("watch breaker", "breaker success", "breaker failure",
                "breaker circuitBreakerOpen");
    }

    @Test
    void aSynchronousBulkheadCountsAcceptedCallsWithoutAQueueOrWaitingTimes() throws Exception {
        Pipeline pipeline = pipeline(Optional.empty(), Optional.empty(), Optional.of(new BulkheadSpec(1, 1)));

        assertThat(pipeline.execute(() -> "ok")).isEqualTo("ok");

        assertThat(metrics.events).containsExactly("watch bulkhead queues=false", "bulkhead accepted=true",
                "bulkhead ran");
    }

    /** Writes each recording as a line. */
    private static final class Recorded implements MethodMetrics {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void invocation(boolean valueReturned, String fallback) {
            events.add("invocation valueReturned=" + valueReturned + " fallback=" + fallback);
        }

        @Override
        public void retryCall(int attempts, String result) {
            events.add("retry attempts=" + attempts + " " + result);
        }

        @Override
        public void timeoutCall(boolean timedOut, long nanos) {
            events.add("timeout timedOut=" + timedOut);
        }

        @Override
        public void breakerCall(String result) {
            events.add("breaker " + result);
        }

        @Override
        public void watch(CircuitBreaker breaker) {
            events.add("watch breaker");
        }

        @Override
        public void bulkheadCall(boolean accepted) {
            events.add("bulkhead accepted=" + accepted);
        }

        @Override
        public void bulkheadWaited(long nanos) {
            events.add("bulkhead waited");
        }

        @Override
        public void bulkheadRan(long nanos) {
            events.add("bulkhead ran");
        }

        @Override
        public void watch(Bulkhead bulkhead, boolean queues) {
            events.add("watch bulkhead queues=" + queues);
        }
    }
}
