package dev.bulwark.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count that many threads raise and lower, kept in padded cells so that two threads do not write the same cache
 * line: a thread always uses the cell of its own id, so what one thread adds and takes away lands in one cell. The
 * sum is exact when nothing changes meanwhile. Read while threads change it, it is exact as a zero test for a
 * protocol where a thread that comes in late lowers the count again on its own thread: a count raised and lowered by
 * one thread is either wholly seen or wholly missed, so the sum is never below the count of what is still in. For a
 * fan-out's requests, which every request raises and lowers once.
 *
 * <p>This class is thread-safe.
 */
public final class StripedCounter {
    /** Longs per cell: 128 bytes, two cache lines, so adjacent-line prefetching does not pair two cells either. */
    private static final int STRIDE = 16;
    private final AtomicLongArray cells;
    private final int mask;

    /** A counter with cells for this machine's processors (twice as many, a power of two, at most 64). */
    public StripedCounter() {
        this(Runtime.getRuntime().availableProcessors());
    }

    StripedCounter(int processors) {
        int count = Integer.highestOneBit(Math.max(1, Math.min(64, processors * 2) - 1)) << 1;
        this.mask = count - 1;
        this.cells = new AtomicLongArray((count + 1) * STRIDE);
    }

    /** Raises the count by one, in the calling thread's cell. */
    public void increment() {
        cells.getAndIncrement(index());
    }

    /** Lowers the count by one, in the calling thread's cell. */
    public void decrement() {
        cells.getAndDecrement(index());
    }

    /** The count: the sum of every cell. */
    public long sum() {
        long sum = 0;
        for (int cell = 0; cell <= mask; cell++) {
            sum += cells.get((cell + 1) * STRIDE);
        }
        return sum;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
    private int index() {
        return (((int) Thread.currentThread().getId() & mask) + 1) * STRIDE;
    }
}
