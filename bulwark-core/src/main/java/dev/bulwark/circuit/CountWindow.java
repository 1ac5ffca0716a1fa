package dev.bulwark.circuit;

import java.util.concurrent.atomic.LongAdder;

/**
 * The last {@code size} calls. Every recorded call bumps the breaker's striped call counter; the
 * position of a call in the sequence is that counter's value. Only events (failures, slow calls) are
 * stored, as sequence numbers in a ring that grows up to {@code size}; an event leaves the window when
 * {@code size} calls have followed it. So a success costs one uncontended striped increment.
 */
final class CountWindow extends OutcomeWindow {
    private static final int FAILURE = 1;
    private static final int SLOW = 2;

    private final int size;
    private final int minimumCalls;
    private final LongAdder calls;
    private final long base;

    // guarded by this
    private long[] events;
    private int head;
    private int count;
    private int failures;
    private int slow;

    private volatile int eventsInWindow;
    private volatile long oldestEventSequence = Long.MAX_VALUE;
    private volatile boolean minimumReached;

    CountWindow(int size, int minimumCalls, LongAdder calls) {
        this.size = size;
        this.minimumCalls = minimumCalls;
        this.calls = calls;
        this.base = calls.sum();
        this.events = new long[Math.min(size, 8)];
    }

    @Override
    boolean recordSuccess(long nowNanos) {
        calls.increment();
        if (eventsInWindow == 0) {
            return false;
        }
        return !minimumReached || oldestEventSequence <= sequence() - size;
    }

    @Override
    synchronized WindowCounts recordEvent(boolean failure, boolean slowCall, long nowNanos) {
        calls.increment();
        long sequence = sequence();
        expire(sequence);
        if (count == events.length && events.length < size) {
            grow();
        } else if (count == events.length) {
            dropOldest();
        }
        events[(head + count) % events.length] = sequence << 2 | (failure ? FAILURE : 0) | (slowCall ? SLOW : 0);
        count++;
        failures += failure ? 1 : 0;
        slow += slowCall ? 1 : 0;
        publish();
        return counts(sequence);
    }

    @Override
    boolean hasEvents(long nowNanos) {
        return eventsInWindow != 0;
    }

    @Override
    synchronized WindowCounts refresh(long nowNanos) {
        long sequence = sequence();
        expire(sequence);
        publish();
        return counts(sequence);
    }

    @Override
    synchronized WindowCounts observe(long nowNanos) {
        long sequence = sequence();
        expire(sequence);
        publish();
        return countsOnly(sequence);
    }

    /**
     * Records this window's most recent calls, as many as {@code target} holds, oldest first, into {@code target}
     * (a new window no other thread sees yet). Returns how many of them failed.
     */
    synchronized int replayInto(CountWindow target) {
        long sequence = sequence();
        expire(sequence);
        long take = Math.min(Math.min(sequence, size), target.size);
        int next = 0;
        while (next < count && (events[(head + next) % events.length] >>> 2) <= sequence - take) {
            next++;
        }
        int failed = 0;
        for (long call = sequence - take + 1; call <= sequence; call++) {
            long event = next < count ? events[(head + next) % events.length] : -1L;
            if (event >= 0 && event >>> 2 == call) {
                boolean failure = (event & FAILURE) != 0;
                target.recordEvent(failure, (event & SLOW) != 0, 0L);
                failed += failure ? 1 : 0;
                next++;
            } else {
                target.recordSuccess(0L);
            }
        }
        target.minimumReached = false; // so that the next call, even a success, judges the carried outcomes
        return failed;
    }

    private long sequence() {
        return calls.sum() - base;
    }

    /** The counts for a judge: from now on a success needs no re-judging unless an event may have left. */
    private WindowCounts counts(long sequence) {
        WindowCounts counts = countsOnly(sequence);
        if (counts.calls() >= minimumCalls) {
            minimumReached = true;
        }
        return counts;
    }

    // a reader must not mark the minimum reached: the success that reaches it would then skip its verdict
    private WindowCounts countsOnly(long sequence) {
        int inWindow = (int) Math.min(sequence, size);
        return new WindowCounts(inWindow, Math.min(failures, inWindow), Math.min(slow, inWindow));
    }

    private void expire(long sequence) {
        long oldestKept = sequence - size;
        while (count > 0 && (events[head] >>> 2) <= oldestKept) {
            dropOldest();
        }
    }

    private void dropOldest() {
        long event = events[head];
        failures -= (event & FAILURE) != 0 ? 1 : 0;
        slow -= (event & SLOW) != 0 ? 1 : 0;
        head = (head + 1) % events.length;
        count--;
    }

    private void publish() {
        eventsInWindow = count;
        oldestEventSequence = count == 0 ? Long.MAX_VALUE : events[head] >>> 2;
    }

    private void grow() {
        // every stored event lies within the last size calls, so size slots always suffice
        long[] larger = new long[Math.min(events.length * 2, size)];
        for (int i = 0; i < count; i++) {
            larger[i] = events[(head + i) % events.length];
        }
        events = larger;
        head = 0;
    }
}
