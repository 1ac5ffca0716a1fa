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

    private long sequence() {
        return calls.sum() - base;
    }

    private WindowCounts counts(long sequence) {
        int inWindow = (int) Math.min(sequence, size);
        if (inWindow >= minimumCalls) {
            minimumReached = true;
        }
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
