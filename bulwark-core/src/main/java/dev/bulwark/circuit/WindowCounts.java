package dev.bulwark.circuit;

/** Calls, failures and slow calls in a window at one moment. */
record WindowCounts(int calls, int failures, int slow) {
    static final WindowCounts EMPTY = new WindowCounts(0, 0, 0);

    /** Failure percentage, 0 when empty. */
    double failureRate() {
        return calls == 0 ? 0 : failures * 100.0 / calls;
    }

    /** Slow-call percentage, 0 when empty. */
    double slowRate() {
        return calls == 0 ? 0 : slow * 100.0 / calls;
    }

    /** Share of successes in [0, 1], 1 when empty: the health score's success part. */
    double successShare() {
        return calls == 0 ? 1.0 : (calls - failures) / (double) calls;
    }

    /** Success percentage, 100 when empty: what stats and transitions report, in the unit of every rate. */
    double successRatePercent() {
        return calls == 0 ? 100.0 : (calls - failures) * 100.0 / calls;
    }
}
