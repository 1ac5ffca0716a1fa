package dev.bulwark.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Leases of tokens for a bucket so fast that moving its one shared cache line between cores on every call would
 * cost more than the call: threads hash to a few padded stripes ({@link LeaseCell}), and a call takes its tokens
 * from its stripe's lease, reserving a new lease from the bucket's schedule only when that one runs out. Leases
 * start the first time two callers collide on the schedule (a lost compare-and-set), so a bucket only one thread
 * calls at a time keeps its shorter path.
 *
 * <p>The rate stays exact in the clock's coarse time: a lease is reserved at one coarse reading, through the same
 * schedule and the same rule as single calls, and its tokens are only used while the clock still reads the same,
 * so every token is granted at the reading the schedule allowed it at. What leases trade is admission, never the
 * bound: tokens left in a lease when the reading moves on are given back to the schedule if no reservation came
 * after the lease, and are otherwise lost. A stripe's lease grows (doubling, from none) while its callers use it
 * up within one reading and halves when tokens are left over, and all leases together hold at most a sixteenth of
 * a millisecond's tokens and of the burst, so at most that share of the rate goes unused when callers stop mid-lease.
 * A single thread loses nothing: with no other reservation in between, its leftovers always go back.
 *
 * <p>This class is thread-safe.
 */
final class TokenLeases {
    /** The most tokens one lease holds beyond its refilling call's own. */
    private static final int MAX_EXTRA = 1024;
    /** How long a coarse reading of the system clock lasts. */
    private static final long TICK_NANOS = 1_000_000L;
    /** All leases together hold at most this share of a tick's tokens and of the burst. */
    private static final int LEASED_SHARE = 16;
    private static final int MAX_STRIPES = 64;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(LeaseCell[].class);

    private final BucketSchedule schedule;
    private final long intervalNanos;
    private final long capacityNanos;
    private final int maxExtra;
    private final LeaseCell[] stripes;
    private final int indexShift;
    /** Set once two callers first collide on the schedule; until then every call goes to the schedule directly. */
    private volatile boolean inUse;

    private TokenLeases(BucketSchedule schedule, long intervalNanos, long capacityNanos, int maxExtra, int stripes) {
        this.schedule = schedule;
        this.intervalNanos = intervalNanos;
        this.capacityNanos = capacityNanos;
        this.maxExtra = maxExtra;
        this.stripes = new LeaseCell[stripes];
        this.indexShift = Long.SIZE - Integer.numberOfTrailingZeros(stripes);
    }

    /**
     * Leases for a bucket handing out a token every {@code intervalNanos} and holding {@code burst}, or null if a
     * lease would be too large a share of its tokens to be worth it.
     */
    static @Nullable TokenLeases forBucket(BucketSchedule schedule, long intervalNanos, int burst) {
        int cpus = Runtime.getRuntime().availableProcessors();
        int stripes = Math.min(MAX_STRIPES, Integer.highestOneBit(2 * cpus - 1) << 1);
        long tokensPerTick = TICK_NANOS / intervalNanos;
        long maxExtra = Math.min(MAX_EXTRA, Math.min(tokensPerTick, burst) / ((long) LEASED_SHARE * stripes));
        if (maxExtra < 2) {
            return null;
        }
        return new TokenLeases(schedule, intervalNanos, intervalNanos * burst, (int) maxExtra, stripes);
    }

    /** Whether callers have collided on the schedule, so that calls should take their tokens from leases. */
    boolean inUse() {
        return inUse;
    }

    /** Called when a caller lost a compare-and-set on the schedule to another: from now on calls use leases. */
    void contended() {
        if (!inUse) {
            inUse = true;
        }
    }

    /**
     * Grants {@code permits} tokens at coarse reading {@code now} from the calling thread's stripe, reserving a new
     * lease if its own ran out, and counts the call; false if the schedule has too few tokens for the call (or another
     * caller is refilling the stripe), for the bucket to refuse it or make it wait the usual way.
     */
    boolean tryTake(long now, int permits) {
        LeaseCell cell = stripeOfCurrentThread();
        long stamp = LeaseCell.stampOf(now);
        return cell.take(stamp, permits) || refill(cell, now, stamp, permits);
    }

    /** The calls granted from leases so far: exact for calls that happen-before this read. */
    long grantedCalls() {
        long sum = 0;
        for (int i = 0; i < stripes.length; i++) {
            LeaseCell cell = (LeaseCell) STRIPES.getAcquire(stripes, i);
            if (cell != null) {
                sum += cell.granted();
            }
        }
        return sum;
    }

    private boolean refill(LeaseCell cell, long now, long stamp, int permits) {
        long seen = cell.state();
        if (!cell.startRefill(seen)) {
            return false;
        }
        int left = LeaseCell.tokensOf(seen);
        boolean sameReading = (seen & LeaseCell.STAMP_MASK) == stamp;
        int extra = cell.nextExtra;
        if (sameReading) {
            extra = Math.min(maxExtra, Math.max(1, extra * 2));
        } else if (left > 0) {
            extra /= 2;
        }
        cell.nextExtra = extra;
        long current = schedule.emptyAt();
        while (true) {
            // leftovers go back only while this lease is still the schedule's latest reservation: its tokens then
            // still stand at the schedule's end, whatever the clock has done since
            long givenBack = left > 0 && current == cell.leaseEnd ? left * intervalNanos : 0;
            long start = current - givenBack;
            long base = start - now < 0 ? now : start;
            long room = now + capacityNanos - base;
            long tokens = room < permits * intervalNanos ? 0 : Math.min((long) permits + extra, room / intervalNanos);
            if (tokens == 0) {
                if (givenBack != 0) {
                    long found = schedule.giveBack(current, start);
                    if (found != current) {
                        current = found;
                        continue;
                    }
                }
                cell.finishRefill(stamp, 0);
                return false;
            }
            long next = base + tokens * intervalNanos;
            long found = schedule.reserve(current, next);
            if (found == current) {
                cell.leaseEnd = next;
                cell.finishRefill(stamp, (int) tokens - permits);
                return true;
            }
            current = found;
        }
    }

    private LeaseCell stripeOfCurrentThread() {
        // consecutive thread ids land on different stripes: Fibonacci hashing spreads them by the golden ratio
        int index = (int) ((Thread.currentThread().getId() * GOLDEN_GAMMA) >>> indexShift);
        LeaseCell cell = (LeaseCell) STRIPES.getAcquire(stripes, index);
        if (cell != null) {
            return cell;
        }
        LeaseCell created = new LeaseCell();
        LeaseCell raced = (LeaseCell) STRIPES.compareAndExchangeRelease(stripes, index, (LeaseCell) null, created);
        return raced != null ? raced : created;
    }
}
