package dev.bulwark.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An atomic long alone on its cache line: seven longs of padding on each side, so the objects allocated
 * next to it (the owner's read-mostly fields, a queue head) are not invalidated by every write to it. For
 * counters that every call writes, such as a bulkhead's permits or a rate limiter's schedule.
 *
 * <p>This class is thread-safe.
 */
@SuppressWarnings("unused")
public final class PaddedAtomicLong {
    private static final VarHandle VALUE = VarHandles.field(MethodHandles.lookup(), "value", long.class);

    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
    private volatile long value;
    private long q1;
    private long q2;
    private long q3;
    private long q4;
    private long q5;
    private long q6;
    private long q7;

    /** Starts at {@code initial}. */
    public PaddedAtomicLong(long initial) {
        value = initial;
    }

    /** The current value (a volatile read). */
    public long get() {
        return value;
    }

    /** Sets {@code update} if the value is {@code expected}; returns whether it did. */
    public boolean compareAndSet(long expected, long update) {
        return VALUE.compareAndSet(this, expected, update);
    }

    /** Adds {@code delta} and returns the new value. */
    public long addAndGet(long delta) {
        return (long) VALUE.getAndAdd(this, delta) + delta;
    }
}
