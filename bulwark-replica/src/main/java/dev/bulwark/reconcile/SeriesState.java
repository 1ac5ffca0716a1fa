package dev.bulwark.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One series inside a {@link Reconciler}: its waiting readings, what it emitted last, its counts; merges the two
 * sources, finds and fills gaps, and delivers in timestamp order. Guarded by the reconciler's lock.
 */
final class SeriesState {

    /** The readings of one timestamp, waiting for the other source. */
    static final class Slot {
        Reconciler.@Nullable Reading primary;
        Reconciler.@Nullable Reading replica;
        final long arrivedNanos;

        Slot(long arrivedNanos) {
            this.arrivedNanos = arrivedNanos;
        }
    }

    private final Reconciler.Config config;
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

    SeriesState(Reconciler.Config config) {
        this.config = config;
    }

    void emitReady(String key, long now, boolean everything) {
        while (!pending.isEmpty()) {
            Map.Entry<Long, Slot> head = pending.firstEntry();
            Slot slot = head.getValue();
            boolean complete = slot.primary != null && slot.replica != null;
            if (!everything && !complete && now - slot.arrivedNanos < config.retentionWindow().toNanos()) {
                return;
            }
            pending.pollFirstEntry();
            emit(key, head.getKey(), slot);
        }
    }

    private void emit(String key, long timestamp, Slot slot) {
        Reconciler.Reading primary = slot.primary;
        Reconciler.Reading replica = slot.replica;
        double value;
        ReconcileSink.Point.Quality quality;
        Map<String, Object> fields;
        if (primary != null && replica != null) {
            double difference = Math.abs(primary.value() - replica.value());
            double scale = Math.abs(primary.value());
            boolean agree = scale == 0 ? difference == 0 : difference / scale < config.tolerance();
            value = agree ? primary.value() : (primary.value() + replica.value()) / 2;
            quality = agree ? ReconcileSink.Point.Quality.DEDUPLICATED : ReconcileSink.Point.Quality.AVERAGED_DUAL_SOURCE;
            fields = primary.fields();
        } else {
            Reconciler.Reading only = primary != null ? primary : Objects.requireNonNull(replica);
            value = only.value();
            quality = ReconcileSink.Point.Quality.SINGLE_SOURCE;
            fields = only.fields();
        }
        if (this.lastTimestamp != Long.MIN_VALUE && timestamp - this.lastTimestamp > config.gapDetectionThreshold().toSeconds()) {
            fillGap(key, timestamp, value);
        }
        deliver(new ReconcileSink.Point(key, timestamp, value, quality, fields));
    }

    private void fillGap(String key, long timestamp, double value) {
        long from = this.lastTimestamp;
        boolean fillable = timestamp - from <= config.interpolationMaxGap().toSeconds();
        config.sink().gap(new ReconcileSink.Gap(key, from, timestamp, fillable));
        if (!fillable) {
            this.unfillable++;
            return;
        }
        double start = this.lastValue;
        List<ReconcileSink.Point> filled = new ArrayList<>();
        for (long t = from + config.interval().toSeconds(); t < timestamp; t += config.interval().toSeconds()) {
            double interpolated = start + (value - start) * (t - from) / (double) (timestamp - from);
            filled.add(new ReconcileSink.Point(key, t, interpolated, ReconcileSink.Point.Quality.INTERPOLATED, Map.of()));
        }
        filled.forEach(this::deliver);
    }

    private void deliver(ReconcileSink.Point point) {
        this.points++;
        switch (point.quality()) {
            case SINGLE_SOURCE -> this.single++;
            case DEDUPLICATED -> this.deduplicated++;
            case AVERAGED_DUAL_SOURCE -> this.averaged++;
            case INTERPOLATED -> this.interpolated++;
        }
        this.lastTimestamp = point.timestamp();
        this.lastValue = point.value();
        config.sink().accept(point);
    }
}
