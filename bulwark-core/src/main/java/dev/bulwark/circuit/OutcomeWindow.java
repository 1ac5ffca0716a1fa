package dev.bulwark.circuit;

/**
 * The recent calls a closed circuit judges. Successes that are not slow take a lock-free path that
 * touches only a striped counter; failures and slow calls (events) are rarer and go under a short lock
 * that never blocks.
 */
abstract class OutcomeWindow {

    /**
     * Records a success that was not slow.
     *
     * @return true when the window holds events whose standing may have changed (a failure may have
     *         left the window, the minimum may just have been reached): the caller should {@link #refresh}
     *         and re-judge
     */
    abstract boolean recordSuccess(long nowNanos);

    /** Records a failure and/or a slow call and returns the counts after it. */
    abstract WindowCounts recordEvent(boolean failure, boolean slow, long nowNanos);

    /** True when a failure or slow call may still be inside the window (a cheap, conservative check). */
    abstract boolean hasEvents(long nowNanos);

    /** Expires what has left the window and returns the counts, for judging them. */
    abstract WindowCounts refresh(long nowNanos);

    /** The counts for a reader that judges nothing (stats, events): unlike {@link #refresh}, no judging state moves. */
    WindowCounts observe(long nowNanos) {
        return refresh(nowNanos);
    }

    static OutcomeWindow create(CircuitBreakerConfig config, java.util.concurrent.atomic.LongAdder calls, long nowNanos) {
        return config.windowType() == CircuitBreakerConfig.WindowType.COUNT_BASED
                ? new CountWindow(config.windowSize(), judgingMinimumCalls(config), calls)
                : new TimeWindow(config.windowSize(), calls, nowNanos);
    }

    /** Calls the window must hold before every threshold that needs a minimum can be judged. */
    static int judgingMinimumCalls(CircuitBreakerConfig config) {
        return config.failureCountThreshold() > 0
                ? Math.max(config.minimumNumberOfCalls(), config.failureCountMinimumCalls())
                : config.minimumNumberOfCalls();
    }
}
