package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Registry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's recent history per adapter: every breaker's calls, failures and latencies (from its own outcome
 * events) are summed between two {@link #sample} calls into one {@link Sample} (state, health score, error rate,
 * latency percentiles), and the last {@code capacity} samples are kept in a ring, so that a page opened now draws the
 * last minutes at once. Breakers a reload adds are watched; removed ones forgotten. This class is thread-safe.
 */
final class DashboardSamples implements AutoCloseable {
    /** Latencies kept per adapter between two samples; past this the percentiles are those of the first ones. */
    private static final int LATENCIES_PER_SAMPLE = 2048;

    /**
     * One adapter over one sampling interval.
     *
     * @param atMillis the end of the interval, wall clock
     * @param errorRate failed calls in percent of the calls recorded, null without calls
     * @param p50 the median latency in milliseconds, null without latencies (likewise p95, p99)
     */
    record Sample(long atMillis, String state, double healthScore, int calls, int rejected, @Nullable Double errorRate,
                  @Nullable Double p50, @Nullable Double p95, @Nullable Double p99) {
    }

    /**
     * One adapter's interval so far, written by every call without a lock (counters and a latency slot claimed by
     * one increment); a call that ends while the interval closes may count in the next one.
     */
    private static final class Tally {
        private static final long EMPTY = -1;
        private final ArrayDeque<Sample> ring = new ArrayDeque<>(); // guarded by this
        private final AtomicLongArray latencies = new AtomicLongArray(LATENCIES_PER_SAMPLE);
        private final AtomicInteger latencyCount = new AtomicInteger();
        private final LongAdder calls = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private EventSource.@Nullable Subscription subscription;

        Tally() {
            for (int i = 0; i < LATENCIES_PER_SAMPLE; i++) {
                latencies.setPlain(i, EMPTY);
            }
        }

        void outcome(boolean failed, java.util.OptionalLong nanos) {
            calls.increment();
            if (failed) {
                failures.increment();
            }
            if (nanos.isPresent() && latencyCount.get() < LATENCIES_PER_SAMPLE) {
                int slot = latencyCount.getAndIncrement();
                if (slot < LATENCIES_PER_SAMPLE) {
                    latencies.set(slot, nanos.getAsLong());
                }
            }
        }

        void rejected() {
            rejected.increment();
        }

        synchronized Sample close(long atMillis, CircuitBreaker breaker, int capacity) {
            int claimed = Math.min(latencyCount.getAndSet(0), LATENCIES_PER_SAMPLE);
            long[] sorted = new long[claimed];
            int count = 0;
            for (int i = 0; i < claimed; i++) {
                long latency = latencies.getAndSet(i, EMPTY);
                if (latency != EMPTY) { // a slot claimed but not yet written belongs to the next interval
                    sorted[count++] = latency;
                }
            }
            sorted = Arrays.copyOf(sorted, count);
            Arrays.sort(sorted);
            int callCount = (int) Math.min(Integer.MAX_VALUE, calls.sumThenReset());
            long failureCount = failures.sumThenReset();
            int rejectedCount = (int) Math.min(Integer.MAX_VALUE, rejected.sumThenReset());
            Sample sample = new Sample(atMillis, breaker.state().name(), breaker.stats().healthScore(), callCount,
                    rejectedCount, callCount == 0 ? null : Math.min(100.0, 100.0 * failureCount / callCount),
                    percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99));
            ring.addLast(sample);
            while (ring.size() > capacity) {
                ring.removeFirst();
            }
            return sample;
        }

        synchronized List<Sample> history() {
            return List.copyOf(ring);
        }
    }

    private final int capacity;
    private final Runnable onTransition;
    private final Map<CircuitBreaker, Tally> tallies = new ConcurrentHashMap<>();
    private final EventSource.Subscription registrySubscription;

    /** Watches the breakers in {@code registry}, keeping {@code capacity} samples each; calls {@code onTransition} on any state change. */
    DashboardSamples(Registry registry, int capacity, Runnable onTransition) {
        this.capacity = capacity;
        this.onTransition = onTransition;
        registrySubscription = registry.subscribe(event -> {
            if (event instanceof Registry.Event.Added one && one.component() instanceof CircuitBreaker breaker) {
                watch(breaker);
            } else if (event instanceof Registry.Event.Removed one && one.component() instanceof CircuitBreaker breaker) {
                Tally gone = tallies.remove(breaker);
                if (gone != null && gone.subscription != null) {
                    gone.subscription.cancel();
                }
            }
        });
        registry.all(CircuitBreaker.class).forEach(this::watch);
    }

    private void watch(CircuitBreaker breaker) {
        tallies.computeIfAbsent(breaker, key -> {
            Tally tally = new Tally();
            tally.subscription = breaker.subscribe(event -> {
                if (event instanceof CircuitBreaker.Event.SuccessRecorded success) {
                    tally.outcome(false, success.durationNanos());
                } else if (event instanceof CircuitBreaker.Event.FailureRecorded failure) {
                    tally.outcome(true, failure.durationNanos());
                } else if (event instanceof CircuitBreaker.Event.CallRejected) {
                    tally.rejected();
                } else if (event instanceof CircuitBreaker.Event.StateTransition) {
                    onTransition.run();
                }
            });
            return tally;
        });
    }

    /** Closes the current interval of every adapter in {@code breakers} at {@code atMillis}; returns the new samples. */
    Map<String, Sample> sample(long atMillis, Map<String, CircuitBreaker> breakers) {
        Map<String, Sample> out = new LinkedHashMap<>();
        breakers.forEach((name, breaker) -> {
            Tally tally = tallies.get(breaker);
            if (tally != null) {
                out.put(name, tally.close(atMillis, breaker, capacity));
            }
        });
        return out;
    }

    /** The samples kept for each adapter in {@code breakers}, oldest first. */
    Map<String, List<Sample>> history(Map<String, CircuitBreaker> breakers) {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        breakers.forEach((name, breaker) -> {
            Tally tally = tallies.get(breaker);
            out.put(name, tally == null ? List.of() : tally.history());
        });
        return out;
    }

    private static @Nullable Double percentile(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return null;
        }
        int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1_000_000.0;
    }

    @Override
    public void close() {
        registrySubscription.cancel();
        List<Tally> all = new ArrayList<>(tallies.values());
        tallies.clear();
        all.forEach(tally -> {
            if (tally.subscription != null) {
                tally.subscription.cancel();
            }
        });
    }
}
