package dev.bulwark.microprofile;

import dev.bulwark.Pipeline;
import dev.bulwark.Policy;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.microprofile.FtSpecs.BulkheadSpec;
import dev.bulwark.microprofile.FtSpecs.CircuitBreakerSpec;
import dev.bulwark.microprofile.FtSpecs.RetrySpec;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.time.Clock;
import dev.bulwark.timeout.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Bulwark pipeline of one MicroProfile operation, outermost first: Retry, CircuitBreaker, Timeout,
 * Bulkhead (Fallback and the asynchronous offload are applied around and inside it by {@link FtOperation}). Each
 * setting maps the specification's meaning onto Bulwark's:
 * <ul>
 *   <li>{@code @Retry}: fixed {@code delay} plus uniform jitter in [-jitter, +jitter] (clamped at zero), retried when
 *       the failure is in {@code retryOn} and not in {@code abortOn}; {@code maxRetries} -1 is unlimited, bounded by
 *       {@code maxDuration} (0: no bound);</li>
 *   <li>{@code @CircuitBreaker}: a count window of {@code requestVolumeThreshold} calls judged once full, opening at a
 *       failed share of {@code failureRatio}; open for {@code delay}, never growing; {@code successThreshold} probes,
 *       further calls rejected while they run; failures outside {@code failOn} or inside {@code skipOn} count as
 *       successes; Bulwark's own rejections count as failures (a full bulkhead inside a breaker opens it);</li>
 *   <li>{@code @Timeout}: in place for synchronous calls (the caller's thread is interrupted at the deadline), on the
 *       stage for asynchronous ones; a zero value means no timeout;</li>
 *   <li>{@code @Bulkhead}: {@code value} concurrent calls; asynchronous calls queue up to {@code waitingTaskQueue}
 *       without holding a thread, synchronous calls never queue.</li>
 * </ul>
 */
final class Pipelines {

    /** Stands for "no limit" where Bulwark needs a bound: longer than any process lives. */
    static final Duration FOREVER = Duration.ofDays(365L * 100);

    private Pipelines() {
    }

    static Optional<Pipeline> build(String name, Optional<RetrySpec> retry, Optional<CircuitBreakerSpec> breaker,
                                    Optional<FtSpecs.TimeoutSpec> timeout, Optional<BulkheadSpec> bulkhead, boolean async) {
        return build(name, retry, breaker, timeout, bulkhead, async, null);
    }

    /** The pipeline of one method; with {@code metrics}, probes record the specification's metrics between the policies. */
    static Optional<Pipeline> build(String name, Optional<RetrySpec> retry, Optional<CircuitBreakerSpec> breaker,
                                    Optional<FtSpecs.TimeoutSpec> timeout, Optional<BulkheadSpec> bulkhead, boolean async,
                                    @Nullable MethodMetrics metrics) {
        List<Policy> policies = new ArrayList<>();
        retry.ifPresent(spec -> {
            if (metrics != null) {
                policies.add(MetricProbes.retryOutside(name, spec, metrics));
            }
            policies.add(retry(name, spec));
            if (metrics != null) {
                policies.add(MetricProbes.retryInside(name));
            }
        });
        breaker.ifPresent(spec -> {
            policies.add(new MpExceptions(name + ":circuit"));
            CircuitBreaker circuit = breaker(name, spec);
            if (metrics != null) {
                policies.add(MetricProbes.breaker(name, spec, metrics));
                metrics.watch(circuit);
            }
            policies.add(circuit);
        });
        timeout.filter(spec -> !spec.value().isZero()).ifPresent(spec -> {
            policies.add(new MpExceptions(name + ":timeout"));
            if (metrics != null) {
                policies.add(MetricProbes.timeout(name, metrics));
            }
            policies.add(Timeout.builder(name, spec.value()).inPlace(true).build());
        });
        bulkhead.ifPresent(spec -> {
            policies.add(new MpExceptions(name + ":bulkhead"));
            Bulkhead permits = bulkhead(name, spec, async);
            if (metrics != null) {
                policies.add(MetricProbes.bulkheadOutside(name, metrics));
                metrics.watch(permits, async);
            }
            policies.add(permits);
            if (metrics != null) {
                policies.add(MetricProbes.bulkheadInside(name, metrics, async));
            }
        });
        if (policies.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Pipeline.builder().name(name).add(policies.toArray(new Policy[0])).build());
    }

    static Retry retry(String name, RetrySpec spec) {
        return retry(Retry.builder(name), spec);
    }

    static Retry retry(RetryConfig.Builder builder, RetrySpec spec) {
        boolean unlimited = spec.maxRetries() == -1;
        // Integer.MAX_VALUE retries (2^31 - 1) become MAX_RETRIES (2^31 - 2): no caller can tell them apart
        builder.maxRetries(unlimited ? RetryConfig.UNLIMITED : Math.min(spec.maxRetries(), RetryConfig.MAX_RETRIES));
        if (!spec.maxDuration().isZero()) {
            builder.maxDuration(spec.maxDuration());
        } else if (unlimited) {
            builder.maxDuration(FOREVER);
        }
        Backoff backoff = Backoff.fixed(spec.delay());
        if (!spec.jitter().isZero()) {
            backoff = backoff.withJitter(spec.jitter());
        }
        return builder.backoff(backoff)
                .retryOn(failure -> FtSpecs.isAnyOf(failure, spec.retryOn()) && !FtSpecs.isAnyOf(failure, spec.abortOn()))
                .abortOn(failure -> FtSpecs.isAnyOf(failure, spec.abortOn()))
                .build();
    }

    static CircuitBreaker breaker(String name, CircuitBreakerSpec spec) {
        return breaker(name, spec, Clock.system());
    }

    static CircuitBreaker breaker(String name, CircuitBreakerSpec spec, Clock clock) {
        return CircuitBreaker.builder(name)
                .clock(clock)
                .countWindow(spec.requestVolumeThreshold())
                .minimumNumberOfCalls(spec.requestVolumeThreshold())
                .failureRateThreshold(percent(spec.failureRatio()))
                .consecutiveFailureThreshold(0)
                .recoveryTimeout(spec.delay())
                .maxRecoveryTimeout(spec.delay().isZero() ? Duration.ofMillis(1) : spec.delay())
                .exponentialBackoff(false)
                .successThreshold(spec.successThreshold())
                .halfOpenMaxProbes(spec.successThreshold())
                .maxHalfOpenDuration(Duration.ZERO)
                .recordFailure(failure -> FtSpecs.isAnyOf(failure, spec.failOn()) && !FtSpecs.isAnyOf(failure, spec.skipOn()))
                .ignoreException(failure -> false)
                .build();
    }

    /**
     * The ratio as a percentage without the binary noise of {@code ratio * 100} ({@code 0.07 * 100} is
     * {@code 7.000000000000001}, which 7 failures in 100 calls would not reach).
     */
    static double percent(double ratio) {
        return Math.round(ratio * 100 * 1e9) / 1e9;
    }

    static Bulkhead bulkhead(String name, BulkheadSpec spec, boolean async) {
        BulkheadConfig.Builder builder = Bulkhead.builder(name, spec.value());
        if (async) {
            builder.maxWait(FOREVER).maxWaitingCalls(spec.waitingTaskQueue());
        } else {
            builder.maxWaitingCalls(0);
        }
        return builder.build();
    }
}
