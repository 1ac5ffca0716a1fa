package dev.bulwark.reconcile;

import java.util.Map;

/**
 * Where reconciled data goes. Points of one series arrive in timestamp order. Called on the thread that
 * submitted or flushed; implementations should be quick.
 */
public interface ReconcileSink {

    /** A reconciled point. */
    void accept(Point point);

    /** A gap was found (filled or not); unfillable gaps need a person. */
    default void gap(Gap gap) {
    }

    /** A reading failed validation: it is reported here, never silently dropped. */
    default void rejected(Reconciler.Reading reading, String reason) {
    }

    /**
     * One reconciled point of a series.
     *
     * @param series the series key
     * @param timestamp seconds since the epoch
     * @param value the reconciled value
     * @param quality how it was produced
     * @param fields the fields of the reading it came from (empty when interpolated)
     */
    public record Point(String series, long timestamp, double value, Point.Quality quality, Map<String, Object> fields) {
        /** Copies the fields. */
        public Point {
            fields = Map.copyOf(fields);
        }

        /** How a reconciled point came to be; {@link #label()} is the flag written with each point. */
        public enum Quality {
            /** Only one source reported this timestamp within the comparison window. */
            SINGLE_SOURCE("single_source"),
            /** Both sources agreed within the tolerance: the primary's value. */
            DEDUPLICATED("deduplicated"),
            /** Both sources reported but disagreed: their average, flagged for review. */
            AVERAGED_DUAL_SOURCE("averaged_dual_source"),
            /** No source reported it: filled in linearly between its neighbours. */
            INTERPOLATED("interpolated");

            private final String label;

            Quality(String label) {
                this.label = label;
            }

            /** The snake-case flag, e.g. {@code averaged_dual_source}. */
            public String label() {
                return label;
            }
        }
    }

    /**
     * A stretch of a series with no reading longer than the gap-detection threshold.
     *
     * @param series the series key
     * @param from the last timestamp before the gap
     * @param to the first timestamp after it
     * @param filled whether it was short enough to interpolate
     */
    public record Gap(String series, long from, long to, boolean filled) {
        /** The gap's length in seconds. */
        public long seconds() {
            return to - from;
        }
    }
}
