package dev.bulwark.reconcile;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Reconciles the readings of a primary and a replica source into one clean series per key.
 *
 * <p>Each reading is validated (required fields, value range, timestamp sanity); a rejected one goes to
 * the sink with its reason and is counted. Valid readings wait up to the retention window (300 s) for the
 * other source's reading of the same timestamp. Both present and within 0.5 % of each other: the primary's
 * value, {@code deduplicated}; further apart: their average, {@code averaged_dual_source}; one alone:
 * {@code single_source}. A jump between consecutive points beyond the gap threshold (600 s) is a gap; up to
 * {@code interpolationMaxGap} (1800 s) it is filled at the series interval (300 s) by linear interpolation,
 * flagged {@code interpolated}; longer gaps are reported as unfillable.
 *
 * <p>Points reach the sink in timestamp order per series, under the reconciler's lock (a
 * {@link ReentrantLock}, which does not pin virtual threads). This class is thread-safe.
 */
public final class Reconciler {

    private final Config config;
    private final ReconcileSink sink;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SeriesState> series = new HashMap<>();

    private Reconciler(Config config) {
        this.config = config;
        this.sink = config.sink();
    }

    /** A builder with every default, delivering to {@code sink}. */
    public static Config.Builder builder(ReconcileSink sink) {
        return new Config.Builder(sink);
    }

    /** The reconciler {@code config} describes. */
    public static Reconciler of(Config config) {
        return new Reconciler(Objects.requireNonNull(config, "config"));
    }

    /** This reconciler's settings. */
    public Config config() {
        return config;
    }

    /** Takes one reading; emits whatever became ready. */
    public void submit(Reading reading) {
        Objects.requireNonNull(reading, "reading");
        lock.lock();
        try {
            long now = config.clock().nanoTime();
            String problem = validate(reading);
            if (problem != null) {
                String key = reading.series() == null || reading.series().isBlank() ? "" : reading.series();
                series.computeIfAbsent(key, k -> new SeriesState(config)).rejected++;
                sink.rejected(reading, problem);
                return;
            }
            SeriesState state = series.computeIfAbsent(reading.series(), k -> new SeriesState(config));
            SeriesState.Slot slot = state.pending.computeIfAbsent(reading.timestamp(), t -> new SeriesState.Slot(now));
            if ((reading.source() == Reading.Source.PRIMARY ? slot.primary : slot.replica) != null) {
                state.rejected++;
                sink.rejected(reading, "duplicate " + reading.source() + " reading at " + reading.timestamp());
                return;
            }
            if (reading.source() == Reading.Source.PRIMARY) {
                slot.primary = reading;
            } else {
                slot.replica = reading;
            }
            state.emitReady(Objects.requireNonNull(reading.series(), "series"), now, false); // validated above
        } finally {
            lock.unlock();
        }
    }

    /** Emits every reading whose comparison window has passed, in every series. Call it periodically. */
    public void flushReady() {
        flush(false);
    }

    /** Emits everything still waiting, ready or not (for shutdown). */
    public void flushAll() {
        flush(true);
    }

    private void flush(boolean everything) {
        lock.lock();
        try {
            long now = config.clock().nanoTime();
            series.forEach((key, state) -> state.emitReady(key, now, everything));
        } finally {
            lock.unlock();
        }
    }

    /** The quality statistics of one series. */
    public Optional<SeriesQuality> quality(String seriesKey) {
        lock.lock();
        try {
            SeriesState state = series.get(seriesKey);
            return state == null ? Optional.empty() : Optional.of(new SeriesQuality(state.points, state.single,
                    state.deduplicated, state.averaged, state.interpolated, state.rejected, state.unfillable));
        } finally {
            lock.unlock();
        }
    }

    private @Nullable String validate(Reading reading) {
        if (reading.source() == null) {
            return "missing field: source";
        }
        if (reading.series() == null || reading.series().isBlank()) {
            return "missing field: series";
        }
        if (!Double.isFinite(reading.value())) {
            return "value " + reading.value() + " is not a finite number";
        }
        if (reading.value() < config.minValue() || reading.value() > config.maxValue()) {
            return "value " + reading.value() + " outside [" + config.minValue() + ", " + config.maxValue() + "]";
        }
        long nowSeconds = Math.floorDiv(config.clock().wallMillis(), 1000L);
        if (reading.timestamp() - nowSeconds > config.maxFutureSkew().toSeconds()) {
            return "timestamp " + reading.timestamp() + " is " + (reading.timestamp() - nowSeconds) + " s in the future";
        }
        SeriesState state = series.get(reading.series());
        if (state != null && reading.timestamp() <= state.lastTimestamp) {
            return "timestamp " + reading.timestamp() + " is at or before the series' last emitted point "
                    + state.lastTimestamp;
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Reconciler[series=%d]", series.size());
    }

    /**
     * The immutable settings of a reconciler. Defaults: readings wait 300 s for the other source; sources agree within
     * 0.5 % (0.005); a jump over 600 s is a gap, filled up to 1800 s at the series interval of 300 s; any finite value
     * is valid; timestamps up to 300 s in the future are accepted; {@link Clock#system()}.
     *
     * @param sink where points, gaps and rejected readings go
     * @param retentionWindow how long a reading waits for the other source, not negative
     * @param gapDetectionThreshold jumps longer than this are gaps, positive
     * @param interpolationMaxGap gaps up to this long are interpolated, at least the gap threshold
     * @param interval the series' regular interval, the step of interpolated points, positive
     * @param tolerance relative difference under which two sources agree, in [0, 1]
     * @param minValue the lowest valid value
     * @param maxValue the highest valid value, at least {@code minValue}
     * @param maxFutureSkew how far in the future a timestamp may be, not negative
     * @param clock the time source
     */
    public record Config(ReconcileSink sink, Duration retentionWindow, Duration gapDetectionThreshold,
                         Duration interpolationMaxGap, Duration interval, double tolerance, double minValue,
                         double maxValue, Duration maxFutureSkew, Clock clock) {

        /** Validates every field. */
        public Config {
            String who = "reconciler";
            Objects.requireNonNull(sink, "sink");
            Checks.notNegative(who, "retentionWindow", retentionWindow);
            Checks.positive(who, "gapDetectionThreshold", gapDetectionThreshold);
            Checks.positive(who, "interval", interval);
            if (interpolationMaxGap.compareTo(gapDetectionThreshold) < 0) {
                throw new ConfigException(who, "interpolationMaxGap", interpolationMaxGap,
                        ">= gapDetectionThreshold (" + gapDetectionThreshold + ")");
            }
            Checks.between(who, "tolerance", tolerance, 0.0, 1.0);
            if (!(minValue <= maxValue)) {
                throw new ConfigException(who, "valueRange", "[" + minValue + ", " + maxValue + "]", "min <= max");
            }
            Checks.notNegative(who, "maxFutureSkew", maxFutureSkew);
            Objects.requireNonNull(clock, "clock");
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder toBuilder() {
            Builder builder = new Builder(sink);
            builder.retentionWindow = retentionWindow;
            builder.gapDetectionThreshold = gapDetectionThreshold;
            builder.interpolationMaxGap = interpolationMaxGap;
            builder.interval = interval;
            builder.tolerance = tolerance;
            builder.minValue = minValue;
            builder.maxValue = maxValue;
            builder.maxFutureSkew = maxFutureSkew;
            builder.clock = clock;
            return builder;
        }

        /** Builds a {@link Config} or a {@link Reconciler}. Each setting may be given once. Not thread-safe. */
        public static final class Builder {
            private final GivenSettings given = new GivenSettings();
            private final ReconcileSink sink;
            private Duration retentionWindow = Duration.ofSeconds(300);
            private Duration gapDetectionThreshold = Duration.ofSeconds(600);
            private Duration interpolationMaxGap = Duration.ofSeconds(1800);
            private Duration interval = Duration.ofSeconds(300);
            private double tolerance = 0.005;
            private double minValue = Double.NEGATIVE_INFINITY;
            private double maxValue = Double.POSITIVE_INFINITY;
            private Duration maxFutureSkew = Duration.ofSeconds(300);
            private Clock clock = Clock.system();

            private Builder(ReconcileSink sink) {
                this.sink = Objects.requireNonNull(sink, "sink");
            }

            private void given(String setting) {
                given.mark("reconciler", setting);
            }

            /** How long a reading waits for the other source (default 300 s). */
            public Builder retentionWindow(Duration window) {
                given("retentionWindow");
                this.retentionWindow = window;
                return this;
            }

            /** Jumps longer than this are gaps (default 600 s). */
            public Builder gapDetectionThreshold(Duration threshold) {
                given("gapDetectionThreshold");
                this.gapDetectionThreshold = threshold;
                return this;
            }

            /** Gaps up to this long are interpolated (default 1800 s). */
            public Builder interpolationMaxGap(Duration maxGap) {
                given("interpolationMaxGap");
                this.interpolationMaxGap = maxGap;
                return this;
            }

            /** The series' regular interval, the step of interpolated points (default 300 s). */
            public Builder interval(Duration interval) {
                given("interval");
                this.interval = interval;
                return this;
            }

            /** Relative difference under which two sources agree (default 0.5 %, i.e. 0.005). */
            public Builder tolerance(double tolerance) {
                given("tolerance");
                this.tolerance = tolerance;
                return this;
            }

            /** The valid range of values (default: any finite value). */
            public Builder valueRange(double min, double max) {
                given("valueRange");
                this.minValue = min;
                this.maxValue = max;
                return this;
            }

            /** How far in the future a timestamp may be (default 300 s, for clock skew). */
            public Builder maxFutureSkew(Duration skew) {
                given("maxFutureSkew");
                this.maxFutureSkew = skew;
                return this;
            }

            /** The time source (default {@link Clock#system()}). */
            public Builder clock(Clock clock) {
                given("clock");
                this.clock = Objects.requireNonNull(clock, "clock");
                return this;
            }

            /** The settings. @throws ConfigException for an invalid setting */
            public Config buildConfig() {
                return new Config(sink, retentionWindow, gapDetectionThreshold, interpolationMaxGap, interval,
                        tolerance, minValue, maxValue, maxFutureSkew, clock);
            }

            /** The reconciler. @throws ConfigException for an invalid setting */
            public Reconciler build() {
                return Reconciler.of(buildConfig());
            }
        }
    }

    /**
     * One observation of one series by one source.
     *
     * @param source who reported it (required)
     * @param series the series key, e.g. a pool or instrument id (required, non-blank)
     * @param timestamp seconds since the epoch
     * @param value the observed value
     * @param fields anything else the source reported, passed through
     */
    public record Reading(Reading.@Nullable Source source, @Nullable String series, long timestamp, double value,
                          Map<String, Object> fields) {
        /** Copies the fields. */
        public Reading {
            fields = Map.copyOf(fields);
        }

        /** A reading without extra fields. */
        public static Reading of(Reading.Source source, String series, long timestamp, double value) {
            return new Reading(source, series, timestamp, value, Map.of());
        }

        /** Which side a reading came from. */
        public enum Source {
            /** The authoritative source: wins when both agree. */
            PRIMARY,
            /** The redundant source. */
            REPLICA
        }
    }

    /**
     * ReconcileSink.Point.Quality statistics of one series since the reconciler started.
     *
     * @param points points emitted
     * @param singleSource points from one source
     * @param deduplicated points where both sources agreed
     * @param averaged points where the sources disagreed
     * @param interpolated points filled in
     * @param rejected readings refused by validation
     * @param unfillableGaps gaps too long to fill
     */
    public record SeriesQuality(long points, long singleSource, long deduplicated, long averaged, long interpolated,
                                long rejected, long unfillableGaps) {

        /** Share of emitted points that were interpolated. */
        public double interpolatedShare() {
            return points == 0 ? 0 : interpolated / (double) points;
        }

        /** Share of emitted points that were averaged from disagreeing sources. */
        public double averagedShare() {
            return points == 0 ? 0 : averaged / (double) points;
        }

        /** Share of all readings that were rejected. */
        public double rejectedShare(long readings) {
            return readings == 0 ? 0 : rejected / (double) readings;
        }
    }
}
