package dev.bulwark.mode;

/**
 * One channel's health (seed fix 6): an EWMA of the reported scores, so a single low report barely moves
 * it, and the reference it is compared with (its last healthy score, or the score at which it last triggered), so a change smaller than the QoS hysteresis is
 * ignored. Guarded by the orchestrator's lock.
 */
final class ChannelScore {
    private final double alpha;
    private double smoothed = Double.NaN;
    private double reference = 1.0; // a channel is presumed healthy until it reports otherwise

    ChannelScore(double alpha) {
        this.alpha = alpha;
    }

    /** Folds in a report; while the channel is healthy its score is the reference a drop is measured from. */
    void report(double score, double healthyFrom) {
        double clamped = Math.max(0, Math.min(1, score));
        smoothed = Double.isNaN(smoothed) ? clamped : smoothed + alpha * (clamped - smoothed);
        if (smoothed >= healthyFrom) {
            reference = smoothed;
        }
    }

    double smoothed() {
        return Double.isNaN(smoothed) ? 1.0 : smoothed;
    }

    /**
     * True when the smoothed score is below {@code threshold} and has moved more than {@code hysteresis} from its
     * reference: a channel hovering around the threshold is noise, not a reason to switch.
     */
    boolean degradedBelow(double threshold, double hysteresis) {
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
