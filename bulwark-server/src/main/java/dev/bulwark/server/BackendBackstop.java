package dev.bulwark.server;

import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Ends the calls of one event loop that have run for longer than the backstop, so that no call waits forever on a
 * backend that never answers, even with no timeout policy in front of it. Calls are kept in the order they started
 * and swept once a second while any is kept: a sweep fails every call that has seen more than
 * {@code backstopSweeps} sweeps, so a call ends between {@code backstopSweeps} and {@code backstopSweeps + 1} seconds
 * after it started. This costs a call no clock reading and no timer of its own (a scheduled task per call was a
 * schedule and a cancel on the loop's timer queue for every backend call). A call that ended stays in the queue
 * until it reaches the front or the queue is compacted, which happens whenever the queue has doubled since the last
 * compaction, so the calls kept are at most about twice those running. Used only on its loop: nothing here is
 * synchronised.
 */
final class BackendBackstop {
    private static final int FIRST_COMPACTION = 64;

    private final long backstopSweeps;
    private final Consumer<Runnable> inOneSecond;
    private final ArrayDeque<BackendCall> started = new ArrayDeque<>();
    private long sweeps;
    private boolean sweepPending;
    private int compactAt = FIRST_COMPACTION;

    /**
     * @param backstopSweeps how many sweeps (seconds) a call may see before it fails
     * @param inOneSecond runs its argument on the loop a second from now
     */
    BackendBackstop(long backstopSweeps, Consumer<Runnable> inOneSecond) {
        if (backstopSweeps < 1) {
            throw new IllegalArgumentException("backstopSweeps must be at least 1, was " + backstopSweeps);
        }
        this.backstopSweeps = backstopSweeps;
        this.inOneSecond = inOneSecond;
    }

    /** Starts watching {@code call}, which has just started. */
    void watch(BackendCall call) {
        call.startedAtSweep(sweeps);
        started.addLast(call);
        if (started.size() >= compactAt) {
            started.removeIf(BackendCall::isDone);
            compactAt = Math.max(FIRST_COMPACTION, 2 * started.size());
        }
        if (!sweepPending) {
            sweepPending = true;
            inOneSecond.accept(this::sweep);
        }
    }

    /** Calls watched, ended ones not yet dropped included. */
    int watched() {
        return started.size();
    }

    /** One second has passed: fails the calls past the backstop and drops the ended ones at the front. */
    void sweep() {
        sweeps++;
        BackendCall first;
        while ((first = started.peekFirst()) != null
                && (first.isDone() || sweeps - first.startedAtSweep() > backstopSweeps)) {
            started.pollFirst();
            if (!first.isDone()) {
                first.fail(new TimeoutException("no answer within " + backstopSweeps + " s"));
            }
        }
        if (started.isEmpty()) {
            sweepPending = false;
            compactAt = FIRST_COMPACTION;
        } else {
            inOneSecond.accept(this::sweep);
        }
    }
}
