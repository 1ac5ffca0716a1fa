package dev.bulwark.reconcile;

/**
 * Quality statistics of one series since the reconciler started.
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
