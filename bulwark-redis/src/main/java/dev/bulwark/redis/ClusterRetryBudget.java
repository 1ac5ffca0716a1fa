package dev.bulwark.redis;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A retry budget shared by a cluster: retries across all instances limited to {@code ratio} of the cluster's calls in
 * a fixed window plus {@code minRetriesPerSecond}, so a failing dependency never sees a cluster-wide retry storm.
 * Local-first: counting a call is one striped increment, a retry takes from a local lease; each instance sends its
 * counts every {@code flushInterval} (one Lua script) and takes a lease of {@code left / expectedInstances} retries
 * (rounded up), which Redis counts as spent at once, so two instances never spend the same retry; the unused rest
 * goes back with the next flush. Between flushes an instance may also spend {@code ratio} of the calls it counted
 * since its lease (reported with the next flush), the only over-spend: at most {@code ratio} of one flush interval's
 * calls per instance.
 *
 * <p>While Redis is unreachable the budget turns {@linkplain SharedStateHealth.State#DEGRADED DEGRADED} and is local:
 * {@code ratio} of this instance's calls plus its share of {@code minRetriesPerSecond}; the counts are kept and sent
 * when Redis returns. No call fails because of Redis.
 *
 * <p><b>With core's retry.</b> Put the budget in the pipeline outside the retry (it counts each call once) and let it
 * decide each retry through the retry's predicate: {@code Retry.builder("x").retryOn(budget.retryOn(e -> e
 * instanceof IOException))}; a retry the budget refuses ends the call as not retryable. Core's {@code Retry.Budget}
 * cannot be subclassed, so this is the seam until core opens one. This class is thread-safe.
 */
public final class ClusterRetryBudget implements Policy, AutoCloseable {
    /**
     * KEYS[1] the window's counts (a hash: w, calls, retries); ARGV windowMs, calls to add, retries to add (spent
     * beyond a lease), lease tokens handed back unused, ratio, minimum per window, expected instances, the caller's
     * wall clock in ms or '' for Redis's. A lease counts as spent when granted, so two instances never share one
     * retry. Returns {lease granted, left after it}.
     */
    private static final LuaScript COUNT = LuaScript.of("bulwark-retry-budget", """
            local nowMs
            if ARGV[8] ~= '' then
              nowMs = tonumber(ARGV[8])
            else
              local t = redis.call('TIME')
              nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local windowMs = tonumber(ARGV[1])
            local w = math.floor(nowMs / windowMs)
            local state = redis.call('HMGET', KEYS[1], 'w', 'calls', 'retries')
            local calls = 0
            local retries = 0
            if tonumber(state[1]) == w then
              calls = tonumber(state[2]) or 0
              retries = tonumber(state[3]) or 0
              retries = retries - tonumber(ARGV[4])
            end
            calls = calls + tonumber(ARGV[2])
            retries = retries + tonumber(ARGV[3])
            if retries < 0 then retries = 0 end
            local left = math.floor(calls * tonumber(ARGV[5]) + tonumber(ARGV[6]) - retries)
            if left < 0 then left = 0 end
            local lease = math.min(left, math.ceil(left / tonumber(ARGV[7])))
            retries = retries + lease
            redis.call('HSET', KEYS[1], 'w', string.format('%.0f', w), 'calls', string.format('%.0f', calls),
              'retries', string.format('%.0f', retries))
            redis.call('PEXPIRE', KEYS[1], windowMs - (nowMs % windowMs) + 60000)
            return {lease, left - lease}
            """);

    private final ClusterRetryBudgetConfig config;
    private final RedisLink link;
    private final SharedStateHealth health;
    private final String[] keys;
    private final String minPerWindow;
    private final double minPerFlush;
    private final LongAdder calls = new LongAdder();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final LongAdder denied = new LongAdder();
    // guarded by this: counts not yet sent; the lease Redis granted and how much of it is used; what the calls
    // counted since the last lease earned (spent beyond the lease, reported as retries)
    private long unsentCalls;
    private long unsentExtraRetries;
    private long unsentReturned;
    private long lease;
    private long leaseUsed;
    private long callsSinceLease;
    private long extraSinceLease;
    private double aloneAllowance;
    private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private volatile Scheduler.Cancellable tick = () -> false;
    private volatile boolean closed;

    private ClusterRetryBudget(ClusterRetryBudgetConfig config, RedisLink link) {
        this.config = config;
        this.link = Objects.requireNonNull(link, "link");
        this.health = new SharedStateHealth("cluster retry budget '" + config.name() + "'", config.clock());
        this.keys = new String[] {config.key()};
        this.minPerWindow = Double.toString(config.minRetriesPerSecond() * config.window().toMillis() / 1000.0);
        this.minPerFlush = config.minRetriesPerSecond() * config.flushInterval().toMillis() / 1000.0
                / config.expectedInstances();
    }

    static ClusterRetryBudget start(ClusterRetryBudgetConfig config, RedisLink link) {
        ClusterRetryBudget budget = new ClusterRetryBudget(config, link);
        budget.flush();
        budget.scheduleTick();
        return budget;
    }

    /** A builder for a budget called {@code name}; see {@link ClusterRetryBudgetConfig}. */
    public static ClusterRetryBudgetConfig.Builder builder(String name) {
        return ClusterRetryBudgetConfig.builder(name);
    }

    /** This budget's settings. */
    public ClusterRetryBudgetConfig config() {
        return config;
    }

    /** Whether the budget is the cluster's or, while Redis is unreachable, this instance's alone. */
    public SharedStateHealth health() {
        return health;
    }

    /** Counts one call (a first attempt). */
    public void recordCall() {
        calls.increment();
    }

    /** Takes the budget for one retry, or returns false when it is spent. */
    public synchronized boolean tryWithdraw() {
        settleCalls();
        if (leaseUsed < lease) {
            leaseUsed++;
            return true;
        }
        if (Math.floor(config.ratio() * callsSinceLease + aloneAllowance) - extraSinceLease >= 1) {
            extraSinceLease++;
            unsentExtraRetries++;
            return true;
        }
        denied.increment();
        return false;
    }

    /** Retries refused so far. */
    public long deniedRetries() {
        return denied.sum();
    }

    /** {@code retryable}, and only while the budget allows the retry: the predicate to give core's retry. */
    public Predicate<Throwable> retryOn(Predicate<Throwable> retryable) {
        Objects.requireNonNull(retryable, "retryable");
        return failure -> retryable.test(failure) && tryWithdraw();
    }

    private void settleCalls() {
        long counted = calls.sumThenReset();
        unsentCalls += counted;
        callsSinceLease += counted;
    }

    /** Sends this instance's counts and takes its next lease; the tick calls it, tests wait on it. */
    CompletableFuture<Void> flush() {
        if (closed || !flushing.compareAndSet(false, true)) {
            return inFlight;
        }
        long sentCalls;
        long sentExtra;
        long sentReturned;
        synchronized (this) {
            settleCalls();
            sentCalls = unsentCalls;
            sentExtra = unsentExtraRetries;
            // the old lease closes now: what is left of it goes back
            sentReturned = unsentReturned + (lease - leaseUsed);
            lease = leaseUsed;
            unsentCalls = 0;
            unsentExtraRetries = 0;
            unsentReturned = 0;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight = done;
        String now = config.redisTime() ? "" : Long.toString(config.clock().wallMillis());
        CompletableFuture<List<Long>> answer;
        try {
            answer = link.eval(COUNT, ScriptOutputType.MULTI, keys, Long.toString(config.window().toMillis()),
                    Long.toString(sentCalls), Long.toString(sentExtra), Long.toString(sentReturned),
                    Double.toString(config.ratio()), minPerWindow, Integer.toString(config.expectedInstances()), now);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((reply, failure) -> {
            synchronized (this) {
                if (failure != null) {
                    unsentCalls += sentCalls;
                    unsentExtraRetries += sentExtra;
                    unsentReturned += sentReturned;
                    // alone, this instance's share of the minimum keeps coming, and its calls keep earning
                    aloneAllowance += minPerFlush;
                } else {
                    lease = reply.get(0);
                    leaseUsed = 0;
                    callsSinceLease = 0;
                    extraSinceLease = 0;
                    aloneAllowance = 0;
                }
            }
            if (failure != null) {
                health.failed(failure);
            } else {
                health.succeeded();
            }
            flushing.set(false);
            done.complete(null);
        });
        return done;
    }

    private void scheduleTick() {
        if (!closed) {
            tick = config.scheduler().schedule(config.flushInterval(), () -> {
                flush();
                scheduleTick();
            });
        }
    }

    /** Stops flushing; counts not yet sent are dropped (they only age out of the window anyway). */
    @Override
    public void close() {
        closed = true;
        tick.cancel();
    }

    /** Counts the call and proceeds: put it outside the retry so a call counts once, however often it is retried. */
    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        recordCall();
        return next.proceed(context, call);
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        recordCall();
        return next.proceedAsync(context, call);
    }

    @Override
    public Clock clock() {
        return config.clock();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Class<? extends Component> kind() {
        return ClusterRetryBudget.class;
    }
}
