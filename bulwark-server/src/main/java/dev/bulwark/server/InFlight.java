package dev.bulwark.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts requests being answered, so that shutdown can refuse new ones and wait for the rest. Thread-safe. */
final class InFlight {
    private final AtomicInteger count = new AtomicInteger();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean closed;

    /** Admits a request: false once closed (the caller must then refuse it, and not call {@link #exit()}). */
    boolean enter() {
        count.incrementAndGet();
        if (closed) {
            exit();
            return false;
        }
        return true;
    }

    /** One admitted request is answered. */
    void exit() {
        if (count.decrementAndGet() == 0 && closed) {
            idle.complete(null);
        }
    }

    /** Admits no more; the stage completes when the last admitted request is answered. */
    CompletableFuture<Void> close() {
        closed = true;
        if (count.get() == 0) {
            idle.complete(null);
        }
        return idle;
    }

    int count() {
        return count.get();
    }
}
