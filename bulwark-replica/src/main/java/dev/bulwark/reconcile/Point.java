package dev.bulwark.reconcile;

import java.util.Map;

/**
 * One reconciled point of a series.
 *
 * @param series the series key
 * @param timestamp seconds since the epoch
 * @param value the reconciled value
 * @param quality how it was produced
 * @param fields the fields of the reading it came from (empty when interpolated)
 */
public record Point(String series, long timestamp, double value, Quality quality, Map<String, Object> fields) {
    /** Copies the fields. */
    public Point {
        fields = Map.copyOf(fields);
    }
}
