package dev.bulwark.reconcile;

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
