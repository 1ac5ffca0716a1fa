package dev.bulwark.bulkhead;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed limit's permits spread over padded cells, so that while permits are plentiful two threads taking and
 * returning them write different cache lines instead of one shared counter.
 *
 * <p>The central {@link Permits} count stays the single truth. In <em>striped</em> mode the cells have borrowed
 * every free permit from it (the central count shows them as taken): a call takes one from its thread's cell (the
 * thread id picks it; consecutive ids, as in a pool, get different cells) with one compare-and-set, trying the other
 * cells when its own is empty, and returns it to its thread's cell with one increment. There are no waiters in
 * this mode. When a sweep of all cells finds nothing, the caller switches to <em>central</em> mode under a lock:
 * every cell is closed (swapped to a negative marker) and its free permits go back to the central count, so from
 * then on every call takes and returns through the central count and its waiter queue exactly as a plain
 * {@link Permits}: a refusal is decided there, when no permit is free anywhere, and never ahead of a waiter. A
 * call that finds its cell closed goes central too (a return that increments a closed cell leaves the marker
 * negative and returns the permit centrally instead). A central return that leaves at least half the limit free
 * while nobody waits spreads the free permits over the cells again (the hysteresis keeps a bulkhead near its
 * limit from switching at every call).
 *
 * <p>Why this is exact: a permit is always in exactly one place (a cell, the central pool, or a caller's hands);
 * moving it between cells and the pool happens only inside the switch lock, and a cell that closes can no longer
 * be taken from (its value is negative). Mode changes bump an epoch in the same volatile word, so a central
 * refusal counts only if the mode did not change while it was decided. A waiter queues only in central mode: once
 * its queue place is counted it re-reads the mode and closes the cells itself if a spread got in first, and a
 * spread re-reads the queue count after announcing itself, so one of the two always sees the other.
 */
final class StripedPermits extends Permits {
    /** Longs per cell: 128 bytes, so two cells never share a cache line nor an adjacent-line prefetch pair. */
    private static final int STRIDE = 16;
    private static final int MAX_CELLS = 64;
    /** Permits a cell gets at least: a smaller limit stays on the central count. */
    static final int MIN_PER_CELL = 2;
    /** A closed cell's value: negative even after any number of stray increments by late returns. */
    private static final long CLOSED = Long.MIN_VALUE / 2;

    private static final int STRIPED = 0;
    private static final int CLOSING = 1;
    private static final int CENTRAL = 2;
    private static final int SPREADING = 3;
    private static final int MODE_BITS = 3;
    private static final int EPOCH = 4;

    private final AtomicLongArray cells;
    private final int cellMask;
    private final int spreadAt;
    private final ReentrantLock switching = new ReentrantLock();
    /** Mode in the low two bits, an epoch above them that every change bumps. */
    private volatile int state;

    StripedPermits(int limit, int maxWaiting, int cellCount) {
        super(limit, maxWaiting);
        if (Integer.bitCount(cellCount) != 1 || cellCount < 2 || limit / cellCount < MIN_PER_CELL) {
            throw new IllegalArgumentException("cellCount must be a power of two in [2, limit / " + MIN_PER_CELL
                    + "], was " + cellCount + " for limit " + limit);
        }
        this.cells = new AtomicLongArray((cellCount + 2) * STRIDE);
        this.cellMask = cellCount - 1;
        this.spreadAt = Math.max(1, limit / 2);
        takeAllFree(limit);
        spread(limit);
        this.state = STRIPED;
    }

    /** How many cells a fixed limit gets on {@code cores} cores: 0 if it should stay central. */
    static int cellsFor(int limit, int cores) {
        int wanted = Math.min(MAX_CELLS, Integer.highestOneBit(Math.max(1, 2 * cores - 1)) << 1);
        int affordable = Integer.highestOneBit(Math.max(1, limit / MIN_PER_CELL));
        int cellCount = Math.min(wanted, affordable);
        return cellCount < 2 ? 0 : cellCount;
    }

    @Override
    boolean tryAcquire() {
        if ((state & MODE_BITS) == STRIPED) {
            int index = cellIndex(home());
            long free = cells.get(index);
            if (free > 0 && cells.compareAndSet(index, free, free - 1)) {
                return true;
            }
        }
        return tryAcquireElsewhere();
    }

    /** The caller's cell had nothing (or was closed): the other cells, then the switch, then the central count. */
    private boolean tryAcquireElsewhere() {
        while (true) {
            int observed = state;
            int mode = observed & MODE_BITS;
            if (mode == STRIPED) {
                if (takeFromCells()) {
                    return true;
                }
                centralize(observed);
            } else if (mode == CENTRAL) {
                if (super.tryAcquire()) {
                    return true;
                }
                if (state == observed) {
                    return false; // decided centrally while every cell was closed: no permit free, or a waiter first
                }
            } else {
                awaitSwitch();
            }
        }
    }

    @Override
    void release() {
        if ((state & MODE_BITS) == STRIPED && cells.getAndIncrement(cellIndex(home())) >= 0) {
            return;
        }
        super.release();
        int observed = state;
        if ((observed & MODE_BITS) == CENTRAL && waiting() == 0 && limit() - super.inFlight() >= spreadAt) {
            trySpread(observed);
        }
    }

    @Override
    void afterQueued() {
        // our queue place is counted: a spread that starts now sees it and stops; one that got in first is undone
        while (true) {
            int observed = state;
            int mode = observed & MODE_BITS;
            if (mode == CENTRAL) {
                break;
            }
            if (mode == STRIPED) {
                centralize(observed);
            } else {
                awaitSwitch();
            }
        }
        super.afterQueued();
    }

    @Override
    void limit(int newLimit) {
        throw new UnsupportedOperationException("a striped limit is fixed");
    }

    /** Calls holding a permit: racy while calls start and end, exact when they do not. */
    @Override
    int inFlight() {
        long held = super.inFlight();
        for (int cell = 0; cell <= cellMask; cell++) {
            long free = cells.get(cellIndex(cell));
            if (free > 0) {
                held -= free;
            }
        }
        return (int) Math.max(0, Math.min(limit(), held));
    }

    /** Whether the permits are spread over the cells now (false while central or switching). */
    boolean striped() {
        return (state & MODE_BITS) == STRIPED;
    }

    /** Closes every cell and moves its free permits to the central count, if the permits are striped. */
    void centralize() {
        centralize(state);
    }

    private boolean takeFromCells() {
        int home = home();
        for (int probe = 0; probe <= cellMask; probe++) {
            int index = cellIndex(home + probe);
            long free;
            while ((free = cells.get(index)) > 0) {
                if (cells.compareAndSet(index, free, free - 1)) {
                    return true;
                }
            }
            if (free < 0) {
                return false; // closing: the switch decides
            }
        }
        return false;
    }

    private void centralize(int observed) {
        switching.lock();
        try {
            if (state != observed || (observed & MODE_BITS) != STRIPED) {
                return; // someone else switched meanwhile: look again
            }
            state = next(observed, CLOSING);
            long freed = 0;
            for (int cell = 0; cell <= cellMask; cell++) {
                long free = cells.getAndSet(cellIndex(cell), CLOSED);
                if (free > 0) {
                    freed += free;
                }
            }
            putBack(freed);
            state = next(state, CENTRAL);
        } finally {
            switching.unlock();
        }
        handOver();
    }

    private void trySpread(int observed) {
        if (!switching.tryLock()) {
            return; // a switch is under way: the next central return looks again
        }
        try {
            if (state != observed) {
                return;
            }
            state = next(observed, SPREADING);
            // announced before the queue is read: a waiter queuing now sees the switch and undoes it
            int taken = waiting() == 0 ? takeAllFree(spreadAt) : 0;
            if (taken > 0) {
                spread(taken);
                state = next(state, STRIPED);
            } else {
                state = next(state, CENTRAL);
            }
        } finally {
            switching.unlock();
        }
    }

    private void spread(int permits) {
        int cellCount = cellMask + 1;
        for (int cell = 0; cell < cellCount; cell++) {
            cells.set(cellIndex(cell), permits / cellCount + (cell < permits % cellCount ? 1 : 0));
        }
    }

    /** Waits out a switch in progress (its lock holder is never blocked on anything but the cells). */
    private void awaitSwitch() {
        switching.lock();
        switching.unlock();
    }

    private static int next(int state, int mode) {
        return ((state & ~MODE_BITS) + EPOCH) | mode;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
    private static int home() {
        return (int) Thread.currentThread().getId();
    }

    /** The array index of cell {@code cell} (masked): one stride of padding before the first cell. */
    private int cellIndex(int cell) {
        return ((cell & cellMask) + 1) * STRIDE;
    }
}
