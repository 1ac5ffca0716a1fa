package dev.bulwark.redis;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.EventSource;
import dev.bulwark.time.Scheduler;
import io.lettuce.core.SetArgs;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Shares circuit-breaker verdicts among the instances of a service through Redis, <b>local first</b>: every instance
 * keeps its own {@link CircuitBreaker} and no call ever waits on Redis.
 *
 * <pre>{@code
 * SharedCircuitBreakers shared = SharedCircuitBreakers.connect(RedisEndpoint.of("redis://cache:6379"),
 *         SharedBreakerConfig.builder().verdictPolicy(VerdictPolicy.quorum(2)).build());
 * shared.attach(paymentsBreaker);
 * }</pre>
 *
 * <ul>
 *   <li><b>Verdicts.</b> Every sync interval (default 100 ms) each attached breaker's new transitions are read from its
 *       stats. An own OPEN is a vote: kept in a sorted set with its end time and published on a channel. Peers adopt
 *       it ({@link CircuitBreaker#adoptOpen}) for the rest of its open period when the {@link VerdictPolicy} is met,
 *       so a peer follows within one sync interval plus one Redis round trip and a message delivery.</li>
 *   <li><b>Coordinated half-open.</b> Shortly before an open period ends, each open instance claims one probe permit
 *       ({@code SET NX PX}) in the background. The winner half-opens and sends the breaker's configured probes; the
 *       others stay open until its verdict: CLOSED (everyone closes, {@link CircuitBreaker#adoptClosed}) or a new
 *       OPEN. The cluster sends {@code halfOpenMaxProbes} probes, not that many per instance.</li>
 *   <li><b>Cluster failure rate.</b> Outcome counts are added, every sync interval, to per-second buckets; the same
 *       atomic script sums the window and, when the cluster holds the breaker's {@code minimumNumberOfCalls} and its
 *       failed share reaches the breaker's {@code failureRateThreshold}, opens every instance (whatever the policy),
 *       even when each instance alone is below its minimum of calls.</li>
 *   <li><b>Redis failing never fails a call.</b> Every exchange is asynchronous with a timeout; failures are counted
 *       and turn {@link #health()} DEGRADED; breakers keep deciding locally (a failed probe claim lets the instance
 *       probe on its own). When Redis answers again, each instance republishes its live own verdicts and re-reads the
 *       shared ones, then reports HEALTHY.</li>
 * </ul>
 *
 * <p>This class is thread-safe. Close it to stop syncing and release its connections.
 */
public final class SharedCircuitBreakers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.bulwark.redis");

    private final SharedBreakerConfig config;
    private final VerdictLink link;
    private final String channel;
    private final String instanceKey;
    private final Map<String, SharedBreaker> breakers = new ConcurrentHashMap<>();
    private final SharedStateHealth health;
    private final LongAdder adopted = new LongAdder();
    private final AtomicBoolean resyncing = new AtomicBoolean();
    private final long ticksPerHeartbeat;
    private volatile Scheduler.Cancellable tick = () -> false;
    private volatile boolean closed;
    private volatile Consumer<Verdict> verdictObserver = verdict -> { };
    private long ticksSinceHeartbeat;

    private SharedCircuitBreakers(RedisEndpoint endpoint, SharedBreakerConfig config) {
        this.config = config;
        this.channel = config.keyPrefix() + ":cb:verdicts";
        this.instanceKey = config.keyPrefix() + ":instance:" + config.instanceId();
        this.ticksPerHeartbeat = Math.max(1L, config.heartbeatInterval().toNanos() / config.syncInterval().toNanos());
        this.health = new SharedStateHealth("shared breakers", config.clock(), SharedStateHealth.State.DEGRADED,
                "not connected yet");
        this.link = new VerdictLink(endpoint, config.commandTimeout(), channel, this::onMessage, this::resync,
                this::onRedisFailure);
    }

    /**
     * Starts sharing through {@code endpoint}. Returns at once: the connection is made in the background, and until it
     * is, {@link #health()} is DEGRADED and breakers decide locally (also when Redis is down at start).
     */
    public static SharedCircuitBreakers connect(RedisEndpoint endpoint, SharedBreakerConfig config) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(config, "config");
        SharedCircuitBreakers shared = new SharedCircuitBreakers(endpoint, config);
        shared.link.ensureConnected();
        shared.scheduleTick();
        return shared;
    }

    /**
     * Shares {@code breaker}'s verdicts with the instances that attached a breaker of the same name. Attaching a
     * breaker under a name already attached replaces the earlier one (e.g. a breaker rebuilt by
     * {@link CircuitBreaker#continuing} after a configuration refresh). Transitions before this call are not shared.
     */
    public void attach(CircuitBreaker breaker) {
        Objects.requireNonNull(breaker, "breaker");
        SharedBreaker shared = new SharedBreaker(breaker, config, link, channel, adopted);
        SharedBreaker replaced = breakers.put(breaker.name(), shared);
        if (replaced != null) {
            replaced.stop();
        }
        if (!health.degraded()) {
            shared.resync();
        }
    }

    /** Stops sharing the breaker called {@code name}; returns false if none was attached. */
    public boolean detach(String name) {
        SharedBreaker removed = breakers.remove(name);
        if (removed == null) {
            return false;
        }
        removed.stop();
        return true;
    }

    /** Whether Redis answers and this instance's view is resynchronised. */
    public SharedStateHealth health() {
        return health;
    }

    /**
     * Calls {@code listener} on every health change (HEALTHY to DEGRADED and back), on a background thread; it must be
     * fast. A listener that throws is logged and does not stop the others.
     */
    public EventSource.Subscription onHealthChange(Consumer<? super SharedStateHealth.Change> listener) {
        return health.subscribe(listener);
    }

    /** Redis commands this instance sent (or tried to send) so far: its load on Redis. */
    public long redisOperations() {
        return link.operations();
    }

    /** Peer verdicts (OPEN or CLOSED) this instance's breakers adopted so far. */
    public long adoptedVerdicts() {
        return adopted.sum();
    }

    /** The settings. */
    public SharedBreakerConfig config() {
        return config;
    }

    @Override
    public void close() {
        closed = true;
        tick.cancel();
        breakers.values().forEach(SharedBreaker::stop);
        link.close();
    }

    /** Sees every verdict after it was applied (tests use it to know a message arrived). */
    void observeVerdicts(Consumer<Verdict> observer) {
        this.verdictObserver = observer;
    }

    // ---- background work ----

    private void scheduleTick() {
        if (!closed) {
            tick = config.scheduler().schedule(config.syncInterval(), this::onTick);
        }
    }

    private void onTick() {
        try {
            for (SharedBreaker breaker : breakers.values()) {
                breaker.sync();
            }
            if (++ticksSinceHeartbeat >= ticksPerHeartbeat) {
                ticksSinceHeartbeat = 0;
                heartbeat();
            }
        } catch (RuntimeException unexpected) {
            LOG.log(Level.WARNING, "shared breakers: sync failed", unexpected);
        } finally {
            scheduleTick();
        }
    }

    /** Announces this instance and, while degraded, finds out whether Redis is back. */
    private void heartbeat() {
        link.ensureConnected();
        long ttl = config.heartbeatInterval().toMillis() * 3;
        link.run(c -> c.set(instanceKey, "1", SetArgs.Builder.px(ttl))).thenRun(() -> {
            if (health.degraded()) {
                resync();
            }
        });
    }

    private void onMessage(String message) {
        Verdict verdict = Verdict.decode(message);
        if (verdict != null) {
            SharedBreaker breaker = breakers.get(verdict.breaker());
            if (breaker != null) {
                breaker.onVerdict(verdict);
            }
            verdictObserver.accept(verdict);
        }
    }

    /** After a (re)connection: republish own verdicts, re-read the shared ones, then report HEALTHY. */
    private void resync() {
        if (closed || !link.subscribed() || !resyncing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?>[] all = breakers.values().stream()
                .map(breaker -> breaker.resync().toCompletableFuture()).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(all).whenComplete((ignored, error) -> {
            resyncing.set(false);
            if (error == null) {
                health.succeeded();
            }
        });
    }

    private void onRedisFailure(Throwable error) {
        health.failed(error);
    }
}
