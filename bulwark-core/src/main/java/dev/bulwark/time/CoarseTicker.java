package dev.bulwark.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The value behind {@link Clock#system()}'s {@link Clock#coarseNanoTime()}: {@code System.nanoTime()} as of
 * the latest tick of one daemon thread. The field sits alone on its cache line (padding on both sides), so
 * the only writes readers see are the ticker's, once a tick.
 *
 * <p>The ticker sleeps when nobody reads: after {@link #QUIET_TICKS} ticks without a read it stores
 * {@link #DORMANT} and parks. The next reader takes an exact reading, publishes it and wakes the ticker, so an
 * idle process pays nothing for the clock and a reader never sees a stale value after a quiet spell.
 */
@SuppressForbidden("the coarse view of the JVM's monotonic clock")
final class CoarseTicker {
    /** How often the ticker refreshes the reading. */
    static final long TICK_MICROS = 1000;
    /** Ticks without a read after which the ticker goes dormant: 100 ms. */
    static final int QUIET_TICKS = 100;
    /** The reading while the ticker is dormant; {@link #fresh()} never returns it. */
    static final long DORMANT = Long.MIN_VALUE;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedReading.Value.class, "value", long.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    /** Created, and its thread started, on the first coarse read. */
    static final CoarseTicker INSTANCE = new CoarseTicker(System::nanoTime, true);

    private final LongSupplier source;
    private final PaddedReading.Cell reading = new PaddedReading.Cell();
    /** Set by a reader once per check period, cleared by the ticker: on its own cache line, written rarely. */
    private final PaddedReading.Cell read = new PaddedReading.Cell();
    private final @Nullable Thread thread;
    /** Ticks since the ticker last looked at {@link #read}; only the ticker thread touches it. */
    private int ticksSinceCheck;

    /** A ticker over {@code source}; with {@code start} false nothing ticks until {@link #tick()} is called. */
    CoarseTicker(LongSupplier source, boolean start) {
        this.source = source;
        reading.value = fresh();
        if (start) {
            Thread ticker = new Thread(this::run, "bulwark-clock-ticker");
            ticker.setDaemon(true);
            this.thread = ticker;
            ticker.start();
        } else {
            this.thread = null;
        }
    }

    long now() {
        long now = reading.value;
        if (now == DORMANT) {
            return wake();
        }
        if (read.value == 0) {
            read.value = 1;
        }
        return now;
    }

    /** Whether the ticker is asleep until the next read. */
    boolean dormant() {
        return reading.value == DORMANT;
    }

    /**
     * One tick: refreshes the reading, and every {@link #QUIET_TICKS} ticks goes dormant if nothing was read
     * since the last look. False when it went dormant.
     */
    boolean tick() {
        reading.value = fresh();
        if (++ticksSinceCheck < QUIET_TICKS) {
            return true;
        }
        ticksSinceCheck = 0;
        if (read.value != 0) {
            read.value = 0;
            return true;
        }
        // a read between the look and this store only costs that reader's next read a wake-up
        reading.value = DORMANT;
        return false;
    }

    private long wake() {
        long now = fresh();
        read.value = 1;
        if (VALUE.compareAndSet(reading, DORMANT, now)) {
            LockSupport.unpark(thread);
            return now;
        }
        return reading.value; // another reader woke it first; its reading is at most as old as ours
    }

    private long fresh() {
        long now = source.getAsLong();
        return now == DORMANT ? now + 1 : now;
    }

    private void run() {
        long tickNanos = TimeUnit.MICROSECONDS.toNanos(TICK_MICROS);
        while (true) {
            if (tick()) {
                LockSupport.parkNanos(this, tickNanos);
            } else {
                while (reading.value == DORMANT) {
                    LockSupport.park(this);
                }
            }
        }
    }
}
