package dev.bulwark.bulkhead;

/** The latency-gradient algorithm; state guarded by the limiter's lock. */
final class GradientLimit implements AdaptiveLimiter.Algorithm {
    static final int RELEARN_EVERY = 1000;

    private final double tolerance;
    private final double smoothing;
    private long noLoadRtt = Long.MAX_VALUE;
    private int samples;
    private double estimate = Double.NaN;

    GradientLimit(double tolerance, double smoothing) {
        this.tolerance = tolerance;
        this.smoothing = smoothing;
    }

    @Override
    public int update(int limit, long rttNanos, int inFlight, boolean dropped) {
        if (Double.isNaN(estimate)) {
            estimate = limit;
        }
        if (++samples % RELEARN_EVERY == 0) {
            noLoadRtt = rttNanos;
        }
        noLoadRtt = Math.max(1, Math.min(noLoadRtt, rttNanos));
        double gradient = dropped ? 0.5 : Math.max(0.5, Math.min(1.0, tolerance * noLoadRtt / Math.max(1, rttNanos)));
        double target = estimate * gradient + Math.sqrt(estimate);
        estimate = (1 - smoothing) * estimate + smoothing * target;
        return (int) Math.round(estimate);
    }

    /** The same algorithm with no learned state, for another limiter. */
    GradientLimit fresh() {
        return new GradientLimit(tolerance, smoothing);
    }

    /** Clamps the running estimate when the limiter had to bound the result. */
    void bounded(int limit) {
        estimate = limit;
    }
}
