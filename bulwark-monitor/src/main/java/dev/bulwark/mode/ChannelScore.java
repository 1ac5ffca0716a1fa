package dev.bulwark.mode;

/**
 * One channel's health: an EWMA of the reported scores, so a single low report barely moves it, and the
 * reference it is compared with (its last healthy score, or the score at which it last triggered), so a change
 * smaller than the QoS hysteresis is ignored, unless the score stays below the threshold for the sustain period:
 * the hysteresis stops brief dips, never sustained degradation. Guarded by the orchestrator's lock.
 */
final class ChannelScore {
    private static final long NOT_BELOW = Long.MIN_VALUE;

    private final double alpha;
    private final double degradedBelow;
    private final double emergencyBelow;
    private double smoothed = Double.NaN;
    private double reference = 1.0; // a channel is presumed healthy until it reports otherwise
    /** When the smoothed score went below each threshold, or NOT_BELOW. */
    private long belowDegradedSince = NOT_BELOW;
    private long belowEmergencySince = NOT_BELOW;

    ChannelScore(double alpha, double degradedBelow, double emergencyBelow) {
        this.alpha = alpha;
        this.degradedBelow = degradedBelow;
        this.emergencyBelow = emergencyBelow;
    }

    /** Folds in a report; while the channel is healthy its score is the reference a drop is measured from. */
    void report(double score, long nowNanos) {
        double clamped = Math.max(0, Math.min(1, score));
        smoothed = Double.isNaN(smoothed) ? clamped : smoothed + alpha * (clamped - smoothed);
        if (smoothed >= degradedBelow) {
            reference = smoothed;
        }
        belowDegradedSince = since(belowDegradedSince, degradedBelow, nowNanos);
        belowEmergencySince = since(belowEmergencySince, emergencyBelow, nowNanos);
    }

    private long since(long previous, double threshold, long nowNanos) {
        if (smoothed >= threshold) {
            return NOT_BELOW;
        }
        return previous == NOT_BELOW ? nowNanos : previous;
    }

    /**
     * True when the smoothed score is below the DEGRADED (or, with {@code emergency}, the EMERGENCY) threshold and
     * has either moved more than {@code hysteresis} from its reference or stayed below for {@code sustainNanos}.
     */
    boolean escalates(boolean emergency, double hysteresis, long sustainNanos, long nowNanos) {
        double threshold = emergency ? emergencyBelow : degradedBelow;
        long since = emergency ? belowEmergencySince : belowDegradedSince;
        return degradedBelow(threshold, hysteresis) || (since != NOT_BELOW && nowNanos - since >= sustainNanos);
    }

    double smoothed() {
        return Double.isNaN(smoothed) ? 1.0 : smoothed;
    }

    /**
     * True when the smoothed score is below {@code threshold} and has moved more than {@code hysteresis} from its
     * reference: a channel hovering around the threshold is noise, not a reason to switch.
     */
    private boolean degradedBelow(double threshold, double hysteresis) {
        return smoothed() < threshold && Math.abs(smoothed() - reference) > hysteresis;
    }

    /** Makes the current score the reference, once it has caused a switch. */
    void triggered() {
        reference = smoothed();
    }

    /** Below the threshold without the hysteresis test: a channel that already triggered keeps holding the mode. */
    boolean below(double threshold) {
        return smoothed() < threshold;
    }
}
