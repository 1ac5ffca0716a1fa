package dev.bulwark.ratelimit;

import dev.bulwark.internal.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One stripe of {@link TokenLeases}: tokens reserved from the bucket at one coarse reading of the clock, usable only
 * while the clock still reads the same, and the calls granted from them. Both on one cache line, padded off
 * everything else, so the threads that hash here write no line another stripe's threads write.
 *
 * <p>{@link #state} packs the low 48 bits of the reading the lease was reserved at (the stamp) with the tokens
 * left (the low 16 bits). {@link #REFILLING} marks a stripe whose lease one caller is replacing; the fields below it
 * belong to that caller until it stores the new state.
 */
@SuppressWarnings("unused")
final class LeaseCell {
    static final int TOKENS_BITS = 16;
    static final long TOKENS_MASK = (1L << TOKENS_BITS) - 1;
    static final long STAMP_MASK = ~TOKENS_MASK;
    /** No tokens left, so no take matches it; a refill only starts from a state that is not this one. */
    static final long REFILLING = Long.MIN_VALUE;

    private static final VarHandle STATE = VarHandles.field(MethodHandles.lookup(), "state", long.class);
    private static final VarHandle GRANTED = VarHandles.field(MethodHandles.lookup(), "granted", long.class);

    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
    private volatile long state;
    private volatile long granted;
    /** Where the bucket's schedule ended right after this stripe's latest lease was reserved; the refiller's. */
    long leaseEnd = Long.MIN_VALUE;
    /** How many tokens the next lease asks for beyond its refilling call's own; the refiller's. */
    int nextExtra;
    private long q1;
    private long q2;
    private long q3;
    private long q4;
    private long q5;
    private long q6;
    private long q7;

    /** The stamp of a lease reserved at coarse reading {@code now}. */
    static long stampOf(long now) {
        return now << TOKENS_BITS;
    }

    static int tokensOf(long state) {
        return (int) (state & TOKENS_MASK);
    }

    long state() {
        return state;
    }

    /** Takes {@code tokens} if the lease is stamped {@code stamp} and has them left, and counts the call. */
    boolean take(long stamp, int tokens) {
        long current = state;
        while ((current & STAMP_MASK) == stamp && (current & TOKENS_MASK) >= tokens) {
            long found = (long) STATE.compareAndExchange(this, current, current - tokens);
            if (found == current) {
                // the cast keeps the VarHandle call exact-typed (a statement would be typed Object and adapted)
                long unused = (long) GRANTED.getAndAdd(this, 1L);
                return true;
            }
            current = found;
        }
        return false;
    }

    /** Marks the stripe as being refilled, if it still holds {@code seen}; the winner owns the lease fields. */
    boolean startRefill(long seen) {
        return seen != REFILLING && STATE.compareAndSet(this, seen, REFILLING);
    }

    /** Ends a refill with a lease of {@code tokens} stamped {@code stamp} (none: {@code tokens} is 0). */
    void finishRefill(long stamp, int tokens) {
        state = stamp | tokens;
    }

    /** The calls granted from this stripe's leases: exact for calls that happen-before this read. */
    long granted() {
        return granted;
    }
}
