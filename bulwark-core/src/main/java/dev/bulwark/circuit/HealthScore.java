package dev.bulwark.circuit;

/**
 * The health score: {@code 0.5 * successRate + 0.3 * latencyScore + 0.2 * jitterScore}, with piecewise-linear
 * curves for latency and jitter (documented on {@link CircuitBreaker.Stats}). Pure functions.
 */
final class HealthScore {
    static final double SUCCESS_WEIGHT = 0.5;
    static final double LATENCY_WEIGHT = 0.3;
    static final double JITTER_WEIGHT = 0.2;

    private HealthScore() {
    }

    static double score(double successRate, double latencyScore, double jitterScore) {
        return SUCCESS_WEIGHT * successRate + LATENCY_WEIGHT * latencyScore + JITTER_WEIGHT * jitterScore;
    }

    /** 0–100 ms: 1.0 to 0.95; 100–1000 ms: 0.95 to 0.5; 1000–5000 ms: 0.5 to 0.0; beyond: 0. NaN (no data): 1. */
    static double latencyScore(double meanMillis) {
        if (Double.isNaN(meanMillis) || meanMillis <= 0) {
            return 1.0;
        }
        if (meanMillis <= 100) {
            return interpolate(meanMillis, 0, 100, 1.0, 0.95);
        }
        if (meanMillis <= 1000) {
            return interpolate(meanMillis, 100, 1000, 0.95, 0.5);
        }
        if (meanMillis <= 5000) {
            return interpolate(meanMillis, 1000, 5000, 0.5, 0.0);
        }
        return 0.0;
    }

    /** 0–50 ms: 1.0 to 0.8; 50–200 ms: 0.8 to 0.3; 200–500 ms: 0.3 to 0.0; beyond: 0. NaN (no data): 1. */
    static double jitterScore(double stdDevMillis) {
        if (Double.isNaN(stdDevMillis) || stdDevMillis <= 0) {
            return 1.0;
        }
        if (stdDevMillis <= 50) {
            return interpolate(stdDevMillis, 0, 50, 1.0, 0.8);
        }
        if (stdDevMillis <= 200) {
            return interpolate(stdDevMillis, 50, 200, 0.8, 0.3);
        }
        if (stdDevMillis <= 500) {
            return interpolate(stdDevMillis, 200, 500, 0.3, 0.0);
        }
        return 0.0;
    }

    private static double interpolate(double x, double x0, double x1, double y0, double y1) {
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
    }
}
