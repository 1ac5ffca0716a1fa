package dev.bulwark.circuit;

/** The open period after {@code reopens} consecutive re-opens: the exponential recovery timeout. */
final class OpenBackoff {
    /** The exponent is capped so that no number of re-opens can overflow. */
    static final int MAX_EXPONENT = 63;

    private OpenBackoff() {
    }

    /**
     * {@code base * multiplier^reopens}, capped at {@code max}; {@code base} alone when backoff is off.
     * Safe for any {@code reopens}, however large.
     */
    static long openNanos(long baseNanos, long maxNanos, double multiplier, boolean exponential, int reopens) {
        if (!exponential || reopens <= 0) {
            return baseNanos;
        }
        double grown = baseNanos * Math.pow(multiplier, Math.min(reopens, MAX_EXPONENT));
        return grown >= maxNanos || Double.isNaN(grown) ? maxNanos : (long) grown;
    }
}
