package dev.bulwark.hedge;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Cuts tail latency: if a call has not finished after a delay, a backup attempt starts alongside it (up to
 * {@code maxHedges} backups); the first success wins and every other attempt is cancelled. A failed
 * attempt starts the next backup at once. The delay is fixed, or a percentile of recent successful
 * latencies (e.g. p95) once enough have been seen.
 *
 * <p>Hedge only idempotent calls. Synchronous calls need an executor to run attempts side by side.
 * This interface's implementation is thread-safe.
 */
public interface Hedge extends Policy, EventSource<HedgeEvent> {

    /** A builder for a hedge called {@code name} that starts a backup after {@code delay}. */
    static Builder builder(String name, Duration delay) {
        return new Builder(name, delay);
    }

    /** Backup attempts started so far. */
    long hedgesStarted();

    /** Calls won by a backup attempt. */
    long hedgeWins();

    /** The delay the next call would wait before its first backup. */
    Duration currentDelay();

    @Override
    default Class<? extends Component> kind() {
        return Hedge.class;
    }

    /** Builds a {@link Hedge}. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private final Duration delay;
        private double percentile = Double.NaN;
        private int maxHedges = 1;
        private int minSamples = 20;
        private @Nullable ExecutorService executor;

        private Builder(String name, Duration delay) {
            this.name = name;
            this.delay = delay;
        }

        /**
         * Waits the given percentile (in (0, 1), e.g. 0.95) of recent successful latencies instead of the fixed
         * delay, once {@code minSamples} latencies are known; the fixed delay is used until then.
         */
        public Builder delayPercentile(double percentile, int minSamples) {
            this.percentile = percentile;
            this.minSamples = minSamples;
            return this;
        }

        /** Backup attempts per call (default 1). */
        public Builder maxHedges(int maxHedges) {
            this.maxHedges = maxHedges;
            return this;
        }

        /** Where synchronous attempts run (required for synchronous use). */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The hedge. @throws dev.bulwark.ConfigException for an invalid setting */
        public Hedge build() {
            String who = "hedge '" + Checks.name("hedge", name) + "'";
            Checks.notNegative(who, "delay", delay);
            Checks.between(who, "maxHedges", maxHedges, 1, 16);
            if (!Double.isNaN(percentile)) {
                Checks.aboveAndAtMost(who, "percentile", percentile, 0.0, 0.999);
                Checks.between(who, "minSamples", minSamples, 1, DefaultHedge.LATENCY_SAMPLES);
            }
            return new DefaultHedge(name, delay, percentile, minSamples, maxHedges, executor, configuredClock(), configuredScheduler());
        }
    }
}
