package dev.bulwark.reconcile;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One observation of one series by one source.
 *
 * @param source who reported it (required)
 * @param series the series key, e.g. a pool or instrument id (required, non-blank)
 * @param timestamp seconds since the epoch
 * @param value the observed value
 * @param fields anything else the source reported, passed through
 */
public record Reading(@Nullable Source source, @Nullable String series, long timestamp, double value,
                      Map<String, Object> fields) {
    /** Copies the fields. */
    public Reading {
        fields = Map.copyOf(fields);
    }

    /** A reading without extra fields. */
    public static Reading of(Source source, String series, long timestamp, double value) {
        return new Reading(source, series, timestamp, value, Map.of());
    }
}
