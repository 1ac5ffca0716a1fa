package dev.bulwark.bulkhead;

import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import dev.bulwark.internal.PaddedAtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Permits up to a (possibly changing) limit, with a first-come queue of waiters: the central count behind every
 * limit, and all of an adaptive limiter's (a fixed limit large enough to stripe adds {@link StripedPermits} in front).
 *
 * <p>A free permit is taken with one compare-and-set. A waiter is a future: a release hands its permit
 * straight to the oldest waiter, and a waiter's deadline, fired by the scheduler, completes it with
 * false. Handing over and giving up race on the same future, so exactly one wins; a permit handed to a
 * waiter that already gave up goes back to the pool. No permit is ever lost (Failsafe #393).
 */
sealed class Permits permits StripedPermits {
    private static final CompletableFuture<Boolean> GRANTED = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> REFUSED = CompletableFuture.completedFuture(false);

    /** Written by every call: padded so the fields every call reads stay off its cache line. */
    private final PaddedAtomicLong inFlight = new PaddedAtomicLong(0);
    private final ConcurrentLinkedQueue<CompletableFuture<Boolean>> waiters = new ConcurrentLinkedQueue<>();
    // counts queue places taken (reserved before a waiter is queued, freed once when it completes): exact, unlike size()
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxWaiting;
    private volatile int limit;

    Permits(int limit) {
        this(limit, Integer.MAX_VALUE);
    }

    Permits(int limit, int maxWaiting) {
        this.limit = limit;
        this.maxWaiting = maxWaiting;
    }

    /** Permits for a limit that never changes: striped over per-thread cells when the limit is large enough. */
    static Permits fixed(int limit, int maxWaiting) {
        int cells = StripedPermits.cellsFor(limit, Runtime.getRuntime().availableProcessors());
        return cells < 2 ? new Permits(limit, maxWaiting) : new StripedPermits(limit, maxWaiting, cells);
    }

    /** Takes a permit if one is free and nobody is waiting for one. */
    boolean tryAcquire() {
        return waiters.isEmpty() && tryTake();
    }

    /**
     * A future that completes with true once a permit is held, or false if none came within {@code maxWait}
     * or the queue already holds {@code maxWaiting} waiters (then at once).
     * Cancel a wait by completing the future with false; if that fails, the permit was granted and must be released.
     */
    CompletableFuture<Boolean> acquire(Duration maxWait, Scheduler scheduler) {
        if (tryAcquire()) {
            return GRANTED;
        }
        if (maxWait.isZero()) {
            return REFUSED;
        }
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        // the deadline is armed before the wait is visible (its queue place counted), so no observer can see a
        // wait without its end: a test that sees one waiting and moves the clock on always ends it
        Scheduler.Cancellable deadline = scheduler.schedule(maxWait, () -> waiter.complete(false));
        if (!reserveQueuePlace()) {
            deadline.cancel();
            return REFUSED;
        }
        waiter.whenComplete((granted, error) -> {
            deadline.cancel();
            if (!Boolean.TRUE.equals(granted)) {
                waiters.remove(waiter);
            }
            queued.decrementAndGet(); // a future completes once, so its place is freed once
        });
        waiters.add(waiter);
        if (waiter.isDone()) {
            waiters.remove(waiter); // gave up (or was cancelled) before it was queued
        }
        afterQueued();
        return waiter;
    }

    /** Whether {@code acquire} put the caller in the queue (rather than granting or refusing at once). */
    static boolean queued(CompletableFuture<Boolean> acquired) {
        return acquired != GRANTED && acquired != REFUSED;
    }

    /** Returns a permit, handing it to the oldest waiter if there is one. */
    void release() {
        inFlight.addAndGet(-1);
        handOver();
    }

    /** Changes the limit; call {@link #handOver()} afterwards (outside any lock) to give new room to waiters. */
    void limit(int newLimit) {
        limit = newLimit;
    }

    int limit() {
        return limit;
    }

    int inFlight() {
        return (int) inFlight.get();
    }

    /** Waiters holding a queue place: never more than {@code maxWaiting}. */
    int waiting() {
        return queued.get();
    }

    int maxWaiting() {
        return maxWaiting;
    }

    private boolean reserveQueuePlace() {
        while (true) {
            int current = queued.get();
            if (current >= maxWaiting) {
                return false;
            }
            if (queued.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private boolean tryTake() {
        while (true) {
            long current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** A waiter has just been queued (its place counted in {@link #waiting()}): give it any free permit. */
    void afterQueued() {
        handOver();
    }

    /**
     * Takes every free permit at once if there are at least {@code atLeast} (ignoring waiters: the caller checks);
     * returns how many were taken, 0 if fewer were free.
     */
    final int takeAllFree(int atLeast) {
        while (true) {
            long current = inFlight.get();
            long free = limit - current;
            if (free < atLeast) {
                return 0;
            }
            if (inFlight.compareAndSet(current, current + free)) {
                return (int) free;
            }
        }
    }

    /** Returns {@code count} permits taken with {@link #takeAllFree} to the pool (call {@link #handOver()} after). */
    final void putBack(long count) {
        inFlight.addAndGet(-count);
    }

    /** Gives free permits to waiters, oldest first. Runs their continuations: never call it under a lock. */
    void handOver() {
        while (!waiters.isEmpty() && tryTake()) {
            CompletableFuture<Boolean> waiter = waiters.poll();
            if (waiter == null || !waiter.complete(true)) {
                inFlight.addAndGet(-1); // nobody took it: back to the pool
            }
        }
    }
}
