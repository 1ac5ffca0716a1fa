package dev.bulwark.micrometer;

import dev.bulwark.bulkhead.AdaptiveLimiter;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.event.Registry;
import dev.bulwark.event.EventSource;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.fallback.FallbackResult;
import dev.bulwark.fallback.LoadShedder;
import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.hedge.Hedge;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Retry;
import dev.bulwark.timeout.Timeout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Exposes every component of a Bulwark {@link Registry} as Micrometer meters, one family per kind with the
 * component's name as the {@code name} label: for circuit breakers
 * {@code bulwark_circuit_breaker_state} (0 closed, 1 open, 2 half-open, 3 forced open, 4 disabled),
 * {@code _calls_total}, {@code _failures_total}, {@code _rejected_total}, {@code _success_ratio}, {@code _health_score},
 * {@code _latency_seconds} and {@code _last_opened_timestamp_seconds}; hedges {@code bulwark_hedge_backups_total},
 * {@code _wins_total} and {@code _delay_seconds}; retries, timeouts, bulkheads, limiters, fan-outs, health monitors
 * and mode orchestrators have their own. Names are in base units (seconds). Fallbacks count their
 * executions by outcome in {@code bulwark_fallback_outcomes{outcome="cached"}}, load shedders their
 * shed calls by priority. Components registered later are bound
 * as they arrive and their meters removed when they leave.
 *
 * <p>A scrape reads each breaker's and each retry's {@code stats()} once, not once per meter: the meters of one
 * component share a snapshot, and a meter that already showed the shared snapshot takes a fresh one, so no meter
 * shows figures older than its own previous read, nor (after a partial read) older than one second.
 */
public final class BulwarkMetrics implements MeterBinder, AutoCloseable {
    private final Registry registry;
    private final Map<Component, List<Meter>> bound = new ConcurrentHashMap<>();
    private volatile EventSource.@org.jspecify.annotations.Nullable Subscription subscription;
    private volatile @org.jspecify.annotations.Nullable MeterRegistry meters; // both set by bindTo, before any component is bound

    /** Metrics for the components of {@code registry}; call {@link #bindTo} to start. */
    public BulwarkMetrics(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.meters = meterRegistry;
        subscription = registry.subscribe(event -> {
            if (event instanceof Registry.Event.Added added) {
                bind(added.component());
            } else if (event instanceof Registry.Event.Removed removed) {
                unbind(removed.component());
            }
        });
        registry.all().forEach(this::bind);
    }

    private void bind(Component component) {
        bound.computeIfAbsent(component, key -> {
            List<Meter> list = new ArrayList<>();
            Tags tags = Tags.of("name", component.name());
            if (component instanceof CircuitBreaker breaker) {
                list.add(gauge("bulwark_circuit_breaker_state", "circuit state: 0 closed, 1 open, 2 half-open, 3 forced open, 4 disabled",
                        tags, breaker, b -> b.state().code()));
                ScrapeSnapshot<CircuitBreaker.Stats> stats = new ScrapeSnapshot<>(breaker::stats, breaker.config().clock(), 7);
                list.add(counter("bulwark_circuit_breaker_calls", "calls recorded", tags, stats, s -> s.forMeter(0).totalCalls()));
                list.add(counter("bulwark_circuit_breaker_failures", "calls that failed", tags, stats, s -> s.forMeter(1).failedCalls()));
                list.add(counter("bulwark_circuit_breaker_rejected", "calls refused", tags, stats, s -> s.forMeter(2).rejectedCalls()));
                list.add(gauge("bulwark_circuit_breaker_success_ratio", "share of successes in the window", tags, stats,
                        s -> s.forMeter(3).successRatePercent() / 100));
                list.add(gauge("bulwark_circuit_breaker_health_score", "circuit breaker health score (0 to 1)", tags, stats,
                        s -> s.forMeter(4).healthScore()));
                list.add(gauge("bulwark_circuit_breaker_latency_seconds", "mean recent latency (NaN when not tracked)", tags,
                        stats, s -> s.forMeter(5).meanLatencyMillis().orElse(Double.NaN) / 1000.0));
                list.add(gauge("bulwark_circuit_breaker_last_opened_timestamp_seconds",
                        "when the circuit last opened, seconds since the epoch (0: never)", tags, stats,
                        s -> lastOpened(s.forMeter(6))));
            } else if (component instanceof Retry retry) {
                ScrapeSnapshot<Retry.Stats> stats = new ScrapeSnapshot<>(retry::stats, retry.config().clock(), 3);
                list.add(counter("bulwark_retry_calls", "executions", tags, stats, s -> s.forMeter(0).calls()));
                list.add(counter("bulwark_retry_retries", "retries made", tags, stats, s -> s.forMeter(1).retries()));
                list.add(counter("bulwark_retry_exhausted", "calls that failed after every retry", tags, stats,
                        s -> s.forMeter(2).failedMaxRetries()));
            } else if (component instanceof Timeout timeout) {
                list.add(counter("bulwark_timeout_timed_out", "calls cut by the timeout", tags, timeout, Timeout::timedOutCalls));
            } else if (component instanceof Bulkhead bulkhead) {
                list.add(gauge("bulwark_bulkhead_in_flight", "calls running", tags, bulkhead, Bulkhead::inFlight));
                list.add(counter("bulwark_bulkhead_rejected", "calls refused", tags, bulkhead, Bulkhead::rejectedCalls));
            } else if (component instanceof AdaptiveLimiter limiter) {
                list.add(gauge("bulwark_limiter_limit", "the adaptive limit", tags, limiter, AdaptiveLimiter::limit));
                list.add(gauge("bulwark_limiter_in_flight", "calls running", tags, limiter, AdaptiveLimiter::inFlight));
            } else if (component instanceof RateLimiter limiter) {
                list.add(counter("bulwark_rate_limiter_permitted", "calls let through", tags, limiter, RateLimiter::permittedCalls));
                list.add(counter("bulwark_rate_limiter_rejected", "calls refused", tags, limiter, RateLimiter::rejectedCalls));
            } else if (component instanceof Hedge hedge) {
                list.add(counter("bulwark_hedge_backups", "backup attempts started", tags, hedge, Hedge::hedgesStarted));
                list.add(counter("bulwark_hedge_wins", "calls a backup attempt answered first", tags, hedge, Hedge::hedgeWins));
                list.add(gauge("bulwark_hedge_delay_seconds", "how long a call runs before a backup starts", tags, hedge,
                        h -> h.currentDelay().toNanos() / 1e9));
            } else if (component instanceof FanOut<?, ?> fanOut) {
                list.add(gauge("bulwark_fanout_in_flight", "adapter calls running", tags, fanOut, FanOut::inFlight));
            } else if (component instanceof HealthMonitor monitor) {
                list.add(gauge("bulwark_health_status", "0 healthy, 1 degraded, 2 unhealthy", tags, monitor, m -> m.status().ordinal()));
            } else if (component instanceof ModeOrchestrator orchestrator) {
                list.add(gauge("bulwark_mode", "0 normal, 1 degraded, 2 emergency", tags, orchestrator, o -> o.mode().ordinal()));
            } else if (component instanceof Fallback<?> fallback) {
                fallbackOutcomes(list, tags, fallback::count);
            } else if (component instanceof LoadShedder shedder) {
                list.add(gauge("bulwark_load_shedder_in_flight", "calls admitted and running", tags, shedder, LoadShedder::inFlight));
                for (Priority priority : Priority.values()) {
                    list.add(counter("bulwark_load_shedder_shed", "calls shed, by priority",
                            tags.and("priority", priority.name().toLowerCase(Locale.ROOT)), shedder, s -> s.shedCalls(priority)));
                }
            }
            return list;
        });
    }

    /** One counter per outcome: which path answered (served, switched, degraded, queued, cached, substituted, shed, failed). */
    private void fallbackOutcomes(List<Meter> list, Tags tags, ToLongFunction<FallbackResult.Outcome> count) {
        for (FallbackResult.Outcome outcome : FallbackResult.Outcome.values()) {
            list.add(counter("bulwark_fallback_outcomes", "executions by the path that answered",
                    tags.and("outcome", outcome.name().toLowerCase(Locale.ROOT)), count, c -> c.applyAsLong(outcome)));
        }
    }

    private void unbind(Component component) {
        List<Meter> list = bound.remove(component);
        if (list != null) {
            list.forEach(java.util.Objects.requireNonNull(meters)::remove);
        }
    }

    private static double lastOpened(CircuitBreaker.Stats stats) {
        List<CircuitBreaker.Event.StateTransition> history = stats.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).to() == CircuitBreaker.State.OPEN) {
                return history.get(i).wallMillis() / 1000.0;
            }
        }
        return 0;
    }

    private <T> Meter gauge(String name, String description, Tags tags, T target, ToDoubleFunction<T> value) {
        return Gauge.builder(name, target, value).description(description).tags(tags).strongReference(true).register(java.util.Objects.requireNonNull(meters));
    }

    private <T> Meter counter(String name, String description, Tags tags, T target, ToDoubleFunction<T> value) {
        return FunctionCounter.builder(name, target, value).description(description).tags(tags).register(java.util.Objects.requireNonNull(meters));
    }

    /** Stops following the registry; meters already bound stay. */
    @Override
    public void close() {
        EventSource.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
