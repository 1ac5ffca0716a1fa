package dev.bulwark.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The access log's writer: a bounded queue of lines that one daemon thread ({@code bulwark-access-log}) hands to a
 * sink in order. {@link #offer} never blocks: a line that finds {@code capacity} lines queued is dropped and counted,
 * and the writer, once the queue is empty again, sends a warning saying how many were dropped since the last one.
 * {@link #close()} lets the writer send what is queued, then stops it. A sink that throws loses that line only, and
 * it is counted as dropped too. This class is thread-safe.
 */
final class AccessLogWriter implements AutoCloseable {
    private final int capacity;
    private final Consumer<String> sink;
    private final Consumer<String> warnings;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean waiting;
    private volatile boolean closed;
    private long warnedAt;

    AccessLogWriter(int capacity, Consumer<String> sink, Consumer<String> warnings) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.sink = sink;
        this.warnings = warnings;
        thread = new Thread(this::drain, "bulwark-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code line} for the sink; false (and counted) when the queue is full or the writer closed. */
    boolean offer(String line) {
        if (closed) {
            dropped.increment();
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.offer(line);
        if (waiting) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Lines dropped so far. */
    long dropped() {
        return dropped.sum();
    }

    /** Lets the writer send every line queued so far, then stops it (waiting up to 5 s for it). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        while (true) {
            String line = queue.poll();
            if (line != null) {
                queued.decrementAndGet();
                send(sink, line);
                continue;
            }
            warnOfDrops();
            if (closed) {
                // offers that raced with close may still land: send those too
                for (String late = queue.poll(); late != null; late = queue.poll()) {
                    send(sink, late);
                }
                warnOfDrops();
                return;
            }
            waiting = true;
            if (queue.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            waiting = false;
        }
    }

    private void warnOfDrops() {
        long now = dropped.sum();
        if (now > warnedAt) {
            send(warnings, (now - warnedAt) + " access log lines were dropped: the writer's queue of " + capacity
                    + " lines was full, or the logging backend failed (" + now + " in all: "
                    + "bulwark_access_log_dropped_lines_total)");
            warnedAt = now;
        }
    }

    private void send(Consumer<String> to, String line) {
        try {
            to.accept(line);
        } catch (RuntimeException failed) {
            if (to == sink) {
                dropped.increment();
            }
        }
    }
}
