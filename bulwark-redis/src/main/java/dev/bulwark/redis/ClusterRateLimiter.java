package dev.bulwark.redis;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A rate limit or quota shared by every instance that uses the same key on one Redis, local-first: a call only takes
 * a token from this instance's lease (one compare-and-set, no I/O); when the lease falls under its low-water mark a
 * background exchange takes the next lease from Redis with one atomic Lua script, and a tick every
 * {@code refreshInterval} tops it up too. A call never waits for Redis: when the lease is empty while the next one is
 * on its way, the call spends ahead, at most one lease, and only while Redis's last answer granted all it was asked
 * (so the limit is not near); once Redis has said the limit is reached, a call that finds the lease empty is refused.
 *
 * <p><b>Over-grant.</b> Tokens spent ahead are charged to the shared count on the next exchange, so the only tokens
 * granted beyond the limit are those spent ahead before an instance learns the limit is reached: a quota grants at
 * most {@code limit + instances x lease} per window, a bucket at most {@code burst + 2 x instances x lease} at once
 * (each instance may hold a lease taken while the bucket refilled, and spend one ahead) and its rate on average.
 * Tokens left in a lease when a quota's window turns are dropped, never spent in the next window.
 *
 * <p><b>Sizing the lease.</b> Once Redis answers that nothing is left, only the tick asks again (refused calls do not
 * hammer Redis), so a contended bucket reaches its rate only if {@code instances x lease} covers a refresh interval's
 * worth of tokens. An exchange that has not answered within twice the refresh interval counts as a failure,
 * so a lease of at least {@code calls per second x 2 x refreshInterval} (one held, one spent ahead covers twice that)
 * means no call is ever refused because Redis is slow; a smaller lease refuses calls while an answer is late.
 *
 * <p><b>When Redis fails</b> (an exchange fails, or has not answered within twice the refresh interval) the limiter
 * turns {@linkplain SharedStateHealth.State#DEGRADED DEGRADED}: it spends what
 * is left of its lease, then grants from a local token bucket of {@code fallbackLimit} per window (by default the limit
 * divided by {@code expectedInstances}); no call fails because of Redis. The tick retries Redis; the first successful
 * exchange turns it HEALTHY again and charges what it granted alone to the shared count.
 *
 * <p>It is a {@link Policy} (a refused call fails with {@link ClusterLimitExceededException}) with the
 * {@code tryAcquire} / {@code permittedCalls} / {@code rejectedCalls} methods of core's {@link RateLimiter}, so code
 * using a local limiter's {@code tryAcquire} can use it as is. This class is thread-safe.
 */
public final class ClusterRateLimiter implements Policy, AutoCloseable {
    private final ClusterLimitConfig config;
    private final RedisLink link;
    private final Clock clock;
    private final SharedStateHealth health;
    private final boolean quota;
    private final String[] keys;
    private final AtomicLong lease = new AtomicLong();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private final AtomicLong spentAlone = new AtomicLong();
    /** Tokens spent ahead of the lease that Redis has not counted yet: at most one lease. */
    private final AtomicLong borrowed = new AtomicLong();
    private volatile boolean mayBorrow;
    private final RateLimiter fallback;
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder permittedAlone = new LongAdder();
    private volatile long windowEndsAt;
    private volatile long exchangeSentAt;
    private volatile boolean limitReached;
    private volatile long window = Long.MIN_VALUE;
    private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private volatile Scheduler.Cancellable tick = () -> false;
    private volatile boolean closed;

    private ClusterRateLimiter(ClusterLimitConfig config, RedisLink link) {
        this.config = config;
        this.link = Objects.requireNonNull(link, "link");
        this.clock = config.clock();
        this.health = new SharedStateHealth("cluster limit '" + config.name() + "'", clock);
        this.quota = config.shape() == ClusterLimitConfig.Shape.WINDOW_QUOTA;
        this.keys = new String[] {config.key()};
        this.windowEndsAt = clock.nanoTime();
        double windowSeconds = config.window().toNanos() / 1e9;
        this.fallback = RateLimiter.builder(config.name() + "-fallback",
                        Math.min(1e9, Math.max(1e-9, config.fallbackLimit() / windowSeconds)))
                .burst((int) Math.min(1_000_000_000L, config.fallbackLimit()))
                .clock(clock).scheduler(config.scheduler()).build();
    }

    static ClusterRateLimiter start(ClusterLimitConfig config, RedisLink link) {
        ClusterRateLimiter limiter = new ClusterRateLimiter(config, link);
        limiter.refresh();
        limiter.scheduleTick();
        return limiter;
    }

    /** A builder for a limiter called {@code name}; see {@link ClusterLimitConfig}. */
    public static ClusterLimitConfig.Builder builder(String name) {
        return ClusterLimitConfig.builder(name);
    }

    /** This limiter's settings. */
    public ClusterLimitConfig config() {
        return config;
    }

    /** Whether decisions use the shared state or the local fallback. */
    public SharedStateHealth health() {
        return health;
    }

    /** Takes one token if this instance holds one now. */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} tokens if this instance holds them now (or, while DEGRADED, if the local fallback has them).
     *
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    public boolean tryAcquire(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, was " + permits);
        }
        if (!quota || clock.nanoTime() - windowEndsAt < 0) {
            while (true) {
                long held = lease.get();
                if (held < permits) {
                    break;
                }
                if (lease.compareAndSet(held, held - permits)) {
                    if (held - permits < config.lowWater() && !limitReached) {
                        refresh();
                    }
                    permitted.increment();
                    return true;
                }
            }
        }
        // once Redis said the limit is reached, only the tick asks again: refused calls do not hammer Redis
        if (!limitReached || (quota && clock.nanoTime() - windowEndsAt >= 0)) {
            refresh();
        }
        noticeOverdueExchange();
        if (health.degraded() ? fallback.tryAcquire(permits) : borrow(permits)) {
            spentAlone.addAndGet(permits);
            permittedAlone.increment();
            permitted.increment();
            return true;
        }
        rejected.increment();
        return false;
    }

    /**
     * Spends ahead of the lease while the next one is on its way, up to one lease, and only while Redis's last answer
     * granted everything asked (so the limit is not near); the tokens are charged to the shared count on the next
     * exchange. This is what keeps a call from failing because Redis is a round trip away.
     */
    private boolean borrow(int permits) {
        while (true) {
            long owed = borrowed.get();
            if (!mayBorrow || owed + permits > config.lease()) {
                return false;
            }
            if (borrowed.compareAndSet(owed, owed + permits)) {
                return true;
            }
        }
    }

    /** Calls let through so far (including those the fallback let through). */
    public long permittedCalls() {
        return permitted.sum();
    }

    /** Calls refused so far. */
    public long rejectedCalls() {
        return rejected.sum();
    }

    /** Calls let through ahead of the lease (while a lease was on its way) or by the fallback (while DEGRADED). */
    public long fallbackPermittedCalls() {
        return permittedAlone.sum();
    }

    /** Tokens this instance holds now. */
    public long leasedTokens() {
        return lease.get();
    }

    /**
     * Takes the next lease from Redis unless an exchange is already under way; the answer arrives in the background.
     * The hot path and the tick call it; tests wait on the returned future.
     */
    CompletableFuture<Void> refresh() {
        if (closed || !refilling.compareAndSet(false, true)) {
            return inFlight;
        }
        long sentAt = clock.nanoTime();
        exchangeSentAt = sentAt;
        boolean expired = quota && sentAt - windowEndsAt >= 0;
        long want = Math.max(0, config.lease() - (expired ? 0 : lease.get()));
        long spent = spentAlone.getAndSet(0);
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight = done;
        String now = config.redisTime() ? "" : Long.toString(clock.wallMillis());
        CompletableFuture<List<Long>> answer;
        try {
            answer = quota
                    ? link.eval(LimitScripts.WINDOW_QUOTA, ScriptOutputType.MULTI, keys, Long.toString(config.limit()),
                            Long.toString(config.window().toMillis()), Long.toString(want), Long.toString(spent), now)
                    : link.eval(LimitScripts.TOKEN_BUCKET, ScriptOutputType.MULTI, keys, Long.toString(config.limit()),
                            Long.toString(config.window().toMillis()), Long.toString(config.burst()),
                            Long.toString(want), Long.toString(spent), now);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((reply, failure) -> {
            if (failure != null) {
                spentAlone.addAndGet(spent);
                health.failed(failure);
            } else {
                // the tokens this exchange charged are counted now, so they no longer hold back spending ahead
                borrowed.accumulateAndGet(spent, (owed, charged) -> Math.max(0, owed - charged));
                granted(reply, sentAt, want);
                health.succeeded();
            }
            refilling.set(false);
            done.complete(null);
        });
        return done;
    }

    /**
     * An exchange that has not answered within twice the refresh interval counts as a failure: a connection that
     * died with a command on the wire only fails it at the command timeout, and calls must not wait for that.
     */
    private void noticeOverdueExchange() {
        if (refilling.get() && !health.degraded()
                && clock.nanoTime() - exchangeSentAt - 2 * config.refreshInterval().toNanos() > 0) {
            health.failed(new java.util.concurrent.TimeoutException(
                    "Redis did not answer within " + config.refreshInterval().multipliedBy(2).toMillis() + " ms"));
        }
    }

    private void granted(List<Long> reply, long sentAt, long want) {
        long granted = reply.get(0);
        mayBorrow = granted >= want;
        limitReached = granted == 0 && want > 0;
        if (!quota) {
            lease.addAndGet(granted);
            return;
        }
        long number = reply.get(3);
        if (number != window) {
            // what is left of the previous window's lease may not be spent in this one
            lease.set(granted);
            window = number;
        } else {
            lease.addAndGet(granted);
        }
        // measured from when the request left, so the local window closes no later than Redis's
        windowEndsAt = sentAt + Duration.ofMillis(reply.get(1)).toNanos();
    }

    private void scheduleTick() {
        if (!closed) {
            tick = config.scheduler().schedule(config.refreshInterval(), () -> {
                noticeOverdueExchange();
                if (health.degraded() || lease.get() < Math.max(1, config.lowWater()) || limitReached
                        || (quota && clock.nanoTime() - windowEndsAt >= 0)) {
                    refresh();
                }
                scheduleTick();
            });
        }
    }

    /** Stops the background tick; tokens still held are not returned (they expire with their window or bucket). */
    @Override
    public void close() {
        closed = true;
        tick.cancel();
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        if (!tryAcquire(1)) {
            throw new ClusterLimitExceededException(config.name());
        }
        return next.proceed(context, call);
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        if (!tryAcquire(1)) {
            return CompletableFuture.failedFuture(new ClusterLimitExceededException(config.name()));
        }
        return next.proceedAsync(context, call);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Class<? extends Component> kind() {
        return ClusterRateLimiter.class;
    }
}
