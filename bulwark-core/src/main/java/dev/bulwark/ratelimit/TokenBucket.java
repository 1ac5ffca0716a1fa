package dev.bulwark.ratelimit;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextPropagator;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.Futures;
import dev.bulwark.internal.PolicySupport;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The generic cell rate algorithm: {@code emptyAt} is when the bucket would be empty if no more tokens
 * were taken. Taking {@code n} tokens moves it {@code n} intervals later; that is allowed when it stays
 * within {@code burst} intervals of now, and a caller that may wait reserves its tokens first and waits
 * for the time it reserved, so waiters are served in order and none is counted twice. Once callers collide on
 * {@code emptyAt}, a fast bucket's calls take their tokens from {@link TokenLeases} first.
 */
final class TokenBucket extends PolicySupport<RateLimiter.Event> implements RateLimiter {
    private static final long REFUSED = -1L;

    private final double permitsPerSecond;
    private final long intervalNanos;
    private final long capacityNanos;
    private final long maxWaitNanos;
    private final Scheduler scheduler;
    /** Written by every call (with the permitted count): padded so the fields every call reads stay off its line. */
    private final BucketSchedule schedule;
    /** Null unless the rate is high enough for per-thread leases of tokens to pay. */
    private final @Nullable TokenLeases leases;
    private final LongAdder rejected = new LongAdder();

    private final RateLimiterConfig config;

    TokenBucket(RateLimiterConfig config) {
        super("rate limiter", config.name(), config.clock());
        this.config = config;
        this.permitsPerSecond = config.permitsPerSecond();
        int burst = config.burst();
        Duration maxWait = config.maxWait();
        Scheduler scheduler = config.scheduler();
        Clock clock = config.clock();
        this.intervalNanos = Math.max(1, Math.round(1e9 / permitsPerSecond));
        this.capacityNanos = intervalNanos * burst;
        this.maxWaitNanos = maxWait.toNanos();
        this.scheduler = scheduler;
        this.schedule = new BucketSchedule(clock.coarseNanoTime());
        this.leases = TokenLeases.forBucket(schedule, intervalNanos, burst);
    }

    @Override
    public RateLimiterConfig config() {
        return config;
    }

    /** Reserves {@code permits} tokens; returns how long to wait for them, or {@link #REFUSED}. */
    private long reserve(int permits, long maxWait) {
        long now = clock().coarseNanoTime();
        if (leases != null && leases.inUse() && leases.tryTake(now, permits)) {
            return 0;
        }
        long current = schedule.emptyAt();
        while (true) {
            long base = current - now < 0 ? now : current;
            long next = base + permits * intervalNanos;
            long wait = next - now - capacityNanos;
            if (wait > maxWait) {
                return wait > 0 ? -wait - 1 : REFUSED;
            }
            long found = schedule.reserve(current, next);
            if (found == current) {
                return Math.max(0, wait);
            }
            if (leases != null) {
                leases.contended();
            }
            current = found;
        }
    }

    /**
     * Makes calls take their tokens from leases from now on, as the first collision of two callers would; false if
     * this bucket's rate is too low for leases. For tests that drive leases from one thread at a time.
     */
    boolean leaseFromNowOn() {
        if (leases == null) {
            return false;
        }
        leases.contended();
        return true;
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    @Override
    public boolean tryAcquire(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, was " + permits);
        }
        long wait = reserve(permits, 0);
        if (wait >= 0) {
            return true;
        }
        refusal(wait);
        return false;
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        long wait = reserve(1, maxWaitNanos);
        if (wait < 0) {
            throw refusal(wait);
        }
        if (wait > 0) {
            waited(wait);
            scheduler.sleep(Duration.ofNanos(wait));
        }
        return next.proceed(context, call);
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        long wait = reserve(1, maxWaitNanos);
        if (wait < 0) {
            return CompletableFuture.failedFuture(refusal(wait));
        }
        if (wait == 0) {
            return next.proceedAsync(context, call);
        }
        waited(wait);
        CompletableFuture<T> outcome = new CompletableFuture<>();
        scheduler.schedule(Duration.ofNanos(wait), ContextPropagator.snapshot().wrap(() -> {
            if (!outcome.isDone()) {
                next.proceedAsync(context, call).whenComplete(Futures.relayTo(outcome));
            }
        }));
        return outcome;
    }

    private RateLimitedException refusal(long encodedWait) {
        rejected.increment();
        long waitNanos = encodedWait == REFUSED ? 0 : -encodedWait - 1;
        publish(new RateLimiter.Event.Rejected(name(), waitNanos));
        return new RateLimitedException(name(), permitsPerSecond, waitNanos);
    }

    private void waited(long waitNanos) {
        publish(new RateLimiter.Event.Waited(name(), waitNanos));
    }



    @Override
    public long permittedCalls() {
        long leased = leases != null ? leases.grantedCalls() : 0;
        return schedule.grantedReservations() + leased;
    }

    @Override
    public long rejectedCalls() {
        return rejected.sum();
    }



    @Override
    public String toString() {
        return "RateLimiter[" + name() + ", " + permitsPerSecond + "/s]";
    }
}
