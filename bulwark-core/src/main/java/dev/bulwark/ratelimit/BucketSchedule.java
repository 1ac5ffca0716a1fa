package dev.bulwark.ratelimit;

import dev.bulwark.internal.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket's shared state, both fields on one cache line and the line padded off everything else: when the
 * bucket will be empty, written by a compare-and-set per reservation, and the reservations granted so far, counted
 * by each reservation's winner right after. The add finds the line the compare-and-set just took (a counter on a
 * line of its own moved between two callers' cores once more per call, about doubling a contended call's cost),
 * and the count stays exact: every granted reservation counts once, none that was refused.
 *
 * <p>This class is thread-safe.
 */
@SuppressWarnings("unused")
final class BucketSchedule {
    private static final VarHandle EMPTY_AT = VarHandles.field(MethodHandles.lookup(), "emptyAt", long.class);
    private static final VarHandle GRANTED =
            VarHandles.field(MethodHandles.lookup(), "grantedReservations", long.class);

    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
    private volatile long emptyAt;
    private volatile long grantedReservations;
    private long q1;
    private long q2;
    private long q3;
    private long q4;
    private long q5;
    private long q6;
    private long q7;

    /** A bucket that is full at {@code now}, with nothing granted yet. */
    BucketSchedule(long now) {
        emptyAt = now;
    }

    /** When the bucket would be empty if no more tokens were taken (a volatile read). */
    long emptyAt() {
        return emptyAt;
    }

    /**
     * Moves {@code emptyAt} from {@code expected} to {@code update} and counts the reservation, if it was
     * {@code expected}; returns the value it found, so a loser retries without reading the line again.
     */
    long reserve(long expected, long update) {
        long found = (long) EMPTY_AT.compareAndExchange(this, expected, update);
        if (found == expected) {
            // the cast keeps the VarHandle call exact-typed (a statement would be typed Object and adapted)
            long unused = (long) GRANTED.getAndAdd(this, 1L);
        }
        return found;
    }

    /**
     * Moves {@code emptyAt} from {@code expected} to {@code update} without counting a reservation (tokens given
     * back), if it was {@code expected}; returns the value it found.
     */
    long giveBack(long expected, long update) {
        return (long) EMPTY_AT.compareAndExchange(this, expected, update);
    }

    /** The reservations granted so far: exact for reservations that happen-before this read. */
    long grantedReservations() {
        return grantedReservations;
    }
}
