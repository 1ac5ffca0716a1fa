package dev.bulwark.reconcile;

import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
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

    private static final class Slot {
        @Nullable Reading primary;
        @Nullable Reading replica;
        final long arrivedNanos;

        Slot(long arrivedNanos) {
            this.arrivedNanos = arrivedNanos;
        }
    }

    private static final class SeriesState {
        final TreeMap<Long, Slot> pending = new TreeMap<>();
        long lastTimestamp = Long.MIN_VALUE;
        double lastValue;
        long points;
        long single;
        long deduplicated;
        long averaged;
        long interpolated;
        long rejected;
        long unfillable;
    }

    private final Settings settings;
    private final ReconcileSink sink;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SeriesState> series = new HashMap<>();

    private Reconciler(Settings settings, ReconcileSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** A builder with every default, delivering to {@code sink}. */
    public static Builder builder(ReconcileSink sink) {
        return new Builder(sink);
    }

    /** Takes one reading; emits whatever became ready. */
    public void submit(Reading reading) {
        Objects.requireNonNull(reading, "reading");
        lock.lock();
        try {
            long now = settings.clock.nanoTime();
            String problem = validate(reading);
            if (problem != null) {
                String key = reading.series() == null || reading.series().isBlank() ? "" : reading.series();
                series.computeIfAbsent(key, k -> new SeriesState()).rejected++;
                sink.rejected(reading, problem);
                return;
            }
            SeriesState state = series.computeIfAbsent(reading.series(), k -> new SeriesState());
            Slot slot = state.pending.computeIfAbsent(reading.timestamp(), t -> new Slot(now));
            if ((reading.source() == Source.PRIMARY ? slot.primary : slot.replica) != null) {
                state.rejected++;
                sink.rejected(reading, "duplicate " + reading.source() + " reading at " + reading.timestamp());
                return;
            }
            if (reading.source() == Source.PRIMARY) {
                slot.primary = reading;
            } else {
                slot.replica = reading;
            }
            emitReady(Objects.requireNonNull(reading.series(), "series"), state, now, false);
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
            long now = settings.clock.nanoTime();
            series.forEach((key, state) -> emitReady(key, state, now, everything));
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
        if (reading.value() < settings.minValue || reading.value() > settings.maxValue) {
            return "value " + reading.value() + " outside [" + settings.minValue + ", " + settings.maxValue + "]";
        }
        long nowSeconds = Math.floorDiv(settings.clock.wallMillis(), 1000L);
        if (reading.timestamp() - nowSeconds > settings.maxFutureSkew) {
            return "timestamp " + reading.timestamp() + " is " + (reading.timestamp() - nowSeconds) + " s in the future";
        }
        SeriesState state = series.get(reading.series());
        if (state != null && reading.timestamp() <= state.lastTimestamp) {
            return "timestamp " + reading.timestamp() + " is at or before the series' last emitted point "
                    + state.lastTimestamp;
        }
        return null;
    }

    private void emitReady(String key, SeriesState state, long now, boolean everything) {
        while (!state.pending.isEmpty()) {
            Map.Entry<Long, Slot> head = state.pending.firstEntry();
            Slot slot = head.getValue();
            boolean complete = slot.primary != null && slot.replica != null;
            if (!everything && !complete && now - slot.arrivedNanos < settings.retentionNanos) {
                return;
            }
            state.pending.pollFirstEntry();
            emit(key, state, head.getKey(), slot);
        }
    }

    private void emit(String key, SeriesState state, long timestamp, Slot slot) {
        Reading primary = slot.primary;
        Reading replica = slot.replica;
        double value;
        Quality quality;
        Map<String, Object> fields;
        if (primary != null && replica != null) {
            double difference = Math.abs(primary.value() - replica.value());
            double scale = Math.abs(primary.value());
            boolean agree = scale == 0 ? difference == 0 : difference / scale < settings.tolerance;
            value = agree ? primary.value() : (primary.value() + replica.value()) / 2;
            quality = agree ? Quality.DEDUPLICATED : Quality.AVERAGED_DUAL_SOURCE;
            fields = primary.fields();
        } else {
            Reading only = primary != null ? primary : Objects.requireNonNull(replica);
            value = only.value();
            quality = Quality.SINGLE_SOURCE;
            fields = only.fields();
        }
        if (state.lastTimestamp != Long.MIN_VALUE && timestamp - state.lastTimestamp > settings.gapThreshold) {
            fillGap(key, state, timestamp, value);
        }
        deliver(state, new Point(key, timestamp, value, quality, fields));
    }

    private void fillGap(String key, SeriesState state, long timestamp, double value) {
        long from = state.lastTimestamp;
        boolean fillable = timestamp - from <= settings.interpolationMaxGap;
        sink.gap(new Gap(key, from, timestamp, fillable));
        if (!fillable) {
            state.unfillable++;
            return;
        }
        double start = state.lastValue;
        List<Point> filled = new ArrayList<>();
        for (long t = from + settings.interval; t < timestamp; t += settings.interval) {
            double interpolated = start + (value - start) * (t - from) / (double) (timestamp - from);
            filled.add(new Point(key, t, interpolated, Quality.INTERPOLATED, Map.of()));
        }
        filled.forEach(point -> deliver(state, point));
    }

    private void deliver(SeriesState state, Point point) {
        state.points++;
        switch (point.quality()) {
            case SINGLE_SOURCE -> state.single++;
            case DEDUPLICATED -> state.deduplicated++;
            case AVERAGED_DUAL_SOURCE -> state.averaged++;
            case INTERPOLATED -> state.interpolated++;
        }
        state.lastTimestamp = point.timestamp();
        state.lastValue = point.value();
        sink.accept(point);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Reconciler[series=%d]", series.size());
    }

    private record Settings(long retentionNanos, long gapThreshold, long interpolationMaxGap, long interval,
                            double tolerance, double minValue, double maxValue, long maxFutureSkew, Clock clock) {
    }

    /** Builds a {@link Reconciler}. Not thread-safe. */
    public static final class Builder {
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

        /** How long a reading waits for the other source (default 300 s). */
        public Builder retentionWindow(Duration window) {
            this.retentionWindow = window;
            return this;
        }

        /** Jumps longer than this are gaps (default 600 s). */
        public Builder gapDetectionThreshold(Duration threshold) {
            this.gapDetectionThreshold = threshold;
            return this;
        }

        /** Gaps up to this long are interpolated (default 1800 s). */
        public Builder interpolationMaxGap(Duration maxGap) {
            this.interpolationMaxGap = maxGap;
            return this;
        }

        /** The series' regular interval, the step of interpolated points (default 300 s). */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Relative difference under which two sources agree (default 0.5 %, i.e. 0.005). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** The valid range of values (default: any finite value). */
        public Builder valueRange(double min, double max) {
            this.minValue = min;
            this.maxValue = max;
            return this;
        }

        /** How far in the future a timestamp may be (default 300 s, for clock skew). */
        public Builder maxFutureSkew(Duration skew) {
            this.maxFutureSkew = skew;
            return this;
        }

        /** The time source (default {@link Clock#system()}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The reconciler. @throws dev.bulwark.ConfigException for an invalid setting */
        public Reconciler build() {
            String who = "reconciler";
            Checks.notNegative(who, "retentionWindow", retentionWindow);
            Checks.positive(who, "gapDetectionThreshold", gapDetectionThreshold);
            Checks.positive(who, "interval", interval);
            if (interpolationMaxGap.compareTo(gapDetectionThreshold) < 0) {
                throw new dev.bulwark.ConfigException(who, "interpolationMaxGap", interpolationMaxGap,
                        ">= gapDetectionThreshold (" + gapDetectionThreshold + ")");
            }
            Checks.between(who, "tolerance", tolerance, 0.0, 1.0);
            if (!(minValue <= maxValue)) {
                throw new dev.bulwark.ConfigException(who, "valueRange", "[" + minValue + ", " + maxValue + "]", "min <= max");
            }
            Checks.notNegative(who, "maxFutureSkew", maxFutureSkew);
            return new Reconciler(new Settings(retentionWindow.toNanos(), gapDetectionThreshold.toSeconds(),
                    interpolationMaxGap.toSeconds(), interval.toSeconds(), tolerance, minValue, maxValue,
                    maxFutureSkew.toSeconds(), clock), sink);
        }
    }
}
