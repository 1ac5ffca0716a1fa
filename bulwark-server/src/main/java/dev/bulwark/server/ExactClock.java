package dev.bulwark.server;

import dev.bulwark.time.Clock;

/**
 * The JVM's clocks with every reading exact: {@link Clock#coarseNanoTime()} reads {@link Clock#nanoTime()} instead of
 * the value {@link Clock#system()}'s ticker thread refreshes every millisecond. The gateway reads the time far less
 * often than the ticker would cost it: at about 5,000 queries a second its coarse readings number some hundred
 * thousand a second (a few milliseconds of CPU as exact readings), while the ticker's thousand wake-ups a second cost
 * this 2-core VM about 27 ms of CPU a second under load (5.8 µs a query). The ticker pays where a process reads the
 * time millions of times a second.
 */
final class ExactClock implements Clock {
    static final Clock INSTANCE = new ExactClock();
    private static final Clock SYSTEM = Clock.system();

    private ExactClock() {
    }

    @Override
    public long nanoTime() {
        return SYSTEM.nanoTime();
    }

    @Override
    public long wallMillis() {
        return SYSTEM.wallMillis();
    }
}
