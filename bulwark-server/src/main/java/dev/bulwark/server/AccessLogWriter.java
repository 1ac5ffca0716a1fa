package dev.bulwark.server;

import java.time.Duration;
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
 *
 * <p>Waking a parked thread costs the query thread a system call and the machine a context switch, which under load
 * would be paid once a line. So the writer, having emptied the queue, lingers for {@link #DEFAULT_LINGER} before it
 * parks for good: lines offered meanwhile wait for the linger to end (a line is written at most about that late) and
 * wake nobody. Only the first line after a quiet spell, or a queue filling past half its capacity, wakes the writer;
 * an idle writer is parked and costs nothing.
 *
 * <p>A {@link LineSink} may buffer: the writer flushes it whenever the queue is empty and after every
 * {@link #FLUSH_EVERY} lines, so a burst becomes a few writes and a line never waits in the sink for the next one.
 */
final class AccessLogWriter implements AutoCloseable {
    /** How long the writer waits for more lines, once it has written all, before it parks until woken. */
    static final Duration DEFAULT_LINGER = Duration.ofMillis(50);
    /** Lines sent to the sink between two flushes at most. */
    static final int FLUSH_EVERY = 256;
    private static final int WRITING = 0;
    static final int LINGERING = 1;
    static final int PARKED = 2;

    private final int capacity;
    private final long lingerNanos;
    private final LineSink sink;
    private final Consumer<String> warnings;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder wakeups = new LongAdder();
    private final Thread thread;
    private final java.util.function.IntConsumer onWait;
    private volatile int state = WRITING;
    private volatile boolean closed;
    private long warnedAt;

    AccessLogWriter(int capacity, Consumer<String> sink, Consumer<String> warnings) {
        this(capacity, DEFAULT_LINGER, sink, warnings);
    }

    /** A writer that lingers {@code linger} for more lines before it parks (see the class comment). */
    AccessLogWriter(int capacity, Duration linger, Consumer<String> sink, Consumer<String> warnings) {
        this(capacity, linger, sink::accept, warnings, waiting -> { });
    }

    /**
     * As above; the writer's thread calls {@code onWait} with how long it is about to wait once the queue is empty:
     * {@code 1} when it starts to linger, {@code 2} when it parks until woken (for tests).
     */
    AccessLogWriter(int capacity, Duration linger, LineSink sink, Consumer<String> warnings,
                    java.util.function.IntConsumer onWait) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, was " + linger);
        }
        this.capacity = capacity;
        this.lingerNanos = linger.toNanos();
        this.sink = sink;
        this.warnings = warnings;
        this.onWait = onWait;
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
        int backlog = queued.incrementAndGet();
        if (backlog > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.offer(line);
        int now = state;
        if (now == PARKED || now == LINGERING && backlog > capacity / 2) {
            wakeups.increment();
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Lines dropped so far. */
    long dropped() {
        return dropped.sum();
    }

    /** How many offers woke the writer so far. */
    long wakeups() {
        return wakeups.sum();
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
        int unflushed = 0;
        while (true) {
            String line = queue.poll();
            if (line != null) {
                queued.decrementAndGet();
                send(line);
                if (++unflushed == FLUSH_EVERY) {
                    flush();
                    unflushed = 0;
                }
                continue;
            }
            if (unflushed > 0) {
                flush();
                unflushed = 0;
            }
            warnOfDrops();
            if (closed) {
                // offers that raced with close may still land: send those too
                for (String late = queue.poll(); late != null; late = queue.poll()) {
                    send(late);
                }
                flush();
                warnOfDrops();
                return;
            }
            // an offer reads the state after queueing its line, so a line queued after this check wakes us
            state = LINGERING;
            if (queue.isEmpty() && !closed && lingerNanos > 0) {
                onWait.accept(LINGERING);
                LockSupport.parkNanos(this, lingerNanos);
            }
            if (queue.isEmpty() && !closed) {
                state = PARKED;
                if (queue.isEmpty() && !closed) {
                    onWait.accept(PARKED);
                    LockSupport.park(this);
                }
            }
            state = WRITING;
        }
    }

    private void warnOfDrops() {
        long now = dropped.sum();
        if (now > warnedAt) {
            warn((now - warnedAt) + " access log lines were dropped: the writer's queue of " + capacity
                    + " lines was full, or the logging backend failed (" + now + " in all: "
                    + "bulwark_access_log_dropped_lines_total)");
            warnedAt = now;
        }
    }

    private void send(String line) {
        try {
            sink.line(line);
        } catch (RuntimeException failed) {
            dropped.increment();
        }
    }

    private void flush() {
        try {
            sink.flush();
        } catch (RuntimeException failed) {
            // the sink counts what it could not write as it sees fit; the writer goes on with the next line
        }
    }

    private void warn(String warning) {
        try {
            warnings.accept(warning);
        } catch (RuntimeException failed) {
            // a warning that cannot be written is not a line of the log
        }
    }

    /**
     * Where the writer sends lines, on its own thread: each {@link #line}, then a {@link #flush} when the queue is
     * empty or {@link #FLUSH_EVERY} lines were sent. A sink that buffers writes in {@code flush}.
     */
    @FunctionalInterface
    interface LineSink {
        void line(String line);

        default void flush() {
        }
    }
}
