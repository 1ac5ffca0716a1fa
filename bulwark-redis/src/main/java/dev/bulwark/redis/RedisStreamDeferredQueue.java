package dev.bulwark.redis;

import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueFullException;
import dev.bulwark.time.Scheduler;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link DeferredQueue} shared by the instances of a cluster on a Redis stream read in a consumer group: any
 * instance drains what another queued, and an item a dead instance was processing is taken over by another once it
 * has sat unacknowledged for {@code claimIdle} ({@code XAUTOCLAIM}). Delivery is at least once, as with the journal:
 * {@link #peek} hands this instance the oldest items (its own unacknowledged ones first, then idle ones it takes over,
 * then new ones), which other instances then leave alone for {@code claimIdle}; {@link #ack} removes an item for good
 * ({@code XACK} and {@code XDEL} in one script). Tickets are the stream entries' sequence numbers ({@code 0-<ticket>}).
 * The stream holds at most {@code capacity} entries (waiting or being processed); an offer beyond it fails with
 * {@link QueueFullException}, never trimming an older item.
 *
 * <p><b>When Redis fails</b> an offer never fails because of it: the item goes to an in-memory spill of
 * {@code spillCapacity} items (an offer beyond that fails with {@link QueueFullException}), {@link #peek} and
 * {@link #drain} work off the spill (its tickets are negative), acknowledgements Redis missed are kept and sent later,
 * and the queue reports {@linkplain SharedStateHealth.State#DEGRADED DEGRADED}. A tick every {@code resyncInterval}
 * retries Redis (on a thread of its own, not the scheduler's): it sends the kept acknowledgements, moves the spilled
 * items to the stream in order and turns the queue HEALTHY. Spilled items live in this process's memory until then (lost if it dies meanwhile). This class is
 * thread-safe.
 *
 * @param <T> the item type
 */
public final class RedisStreamDeferredQueue<T> implements DeferredQueue<T> {

    private static final LuaScript OFFER = LuaScript.of("bulwark-queue-offer", """
            if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
            local ticket = redis.call('INCR', KEYS[2])
            redis.call('XADD', KEYS[1], '0-' .. ticket, 'v', ARGV[2])
            return ticket
            """);
    private static final LuaScript ACK = LuaScript.of("bulwark-queue-ack", """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """);

    private final RedisQueueConfig<T> config;
    private final RedisLink link;
    private final String[] offerKeys;
    private final Consumer<String> me;
    private final SharedStateHealth health;
    private final DeferredQueue<T> spill;
    /** Resynchronisations wait on Redis, so they run here rather than on the scheduler's thread, which others share. */
    private static final Executor RESYNC = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "bulwark-redis-queue-resync");
        thread.setDaemon(true);
        return thread;
    });

    private final ConcurrentLinkedQueue<Long> unsentAcks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean resyncing = new AtomicBoolean();
    private volatile CompletableFuture<Boolean> lastResync = CompletableFuture.completedFuture(true);
    private volatile Scheduler.Cancellable tick = () -> false;
    private volatile boolean closed;

    private RedisStreamDeferredQueue(RedisQueueConfig<T> config, RedisLink link) {
        this.config = config;
        this.link = Objects.requireNonNull(link, "link");
        this.offerKeys = new String[] {config.key(), config.key() + ":seq"};
        this.me = Consumer.from(config.group(), config.consumer());
        this.health = new SharedStateHealth("redis queue '" + config.name() + "'", config.clock());
        this.spill = DeferredQueue.inMemory(config.name() + "-spill", config.spillCapacity());
    }

    static <T> RedisStreamDeferredQueue<T> open(RedisQueueConfig<T> config, RedisLink link) {
        RedisStreamDeferredQueue<T> queue = new RedisStreamDeferredQueue<>(config, link);
        try {
            queue.ensureGroup();
        } catch (RuntimeException e) {
            queue.health.failed(e);
        }
        queue.scheduleTick();
        return queue;
    }

    /** A builder for a queue called {@code name}; see {@link RedisQueueConfig}. */
    public static <T> RedisQueueConfig.Builder<T> builder(String name, DeferredQueue.Codec<T> codec) {
        return RedisQueueConfig.builder(name, codec);
    }

    /** This queue's settings. */
    public RedisQueueConfig<T> config() {
        return config;
    }

    /** Whether the queue works on the stream or on its local spill. */
    public SharedStateHealth health() {
        return health;
    }

    /**
     * Queues an item on the stream, or in the local spill while Redis is unreachable.
     *
     * @return the item's ticket (negative for a spilled item)
     * @throws QueueFullException if the stream holds {@code capacity} items, or Redis is unreachable and the spill is
     *     full
     */
    @Override
    public long offer(T item) {
        Objects.requireNonNull(item, "item");
        if (!health.degraded()) {
            try {
                return offerToStream(item);
            } catch (QueueFullException full) {
                throw full;
            } catch (RuntimeException e) { // whatever Redis or the connection threw: the item still must be kept
                health.failed(e);
            }
        }
        return -spill.offer(item);
    }

    private long offerToStream(T item) {
        String payload = Base64.getEncoder().encodeToString(config.codec().encode(item));
        long ticket = link.<Long>evalNow(OFFER, ScriptOutputType.INTEGER, offerKeys,
                Integer.toString(config.capacity()), payload);
        if (ticket < 0) {
            throw new QueueFullException(config.name(), config.capacity());
        }
        return ticket;
    }

    @Override
    public List<Ticketed<T>> peek(int max) {
        if (max < 1) {
            return List.of();
        }
        List<Ticketed<T>> out = new ArrayList<>();
        if (!health.degraded()) {
            try {
                out.addAll(peekStream(max));
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        if (out.size() < max) {
            for (Ticketed<T> spilled : spill.peek(max - out.size())) {
                out.add(new Ticketed<>(-spilled.ticket(), spilled.item()));
            }
        }
        return out;
    }

    private List<Ticketed<T>> peekStream(int max) {
        TreeMap<Long, T> found = new TreeMap<>();
        RedisCommands<String, String> redis = link.sync();
        try {
            collect(found, redis.xreadgroup(me, XReadArgs.Builder.count(max), XReadArgs.StreamOffset.from(config.key(), "0")));
        } catch (RedisException e) {
            if (!isNoGroup(e)) {
                throw e;
            }
            ensureGroup();
        }
        if (found.size() < max) {
            ClaimedMessages<String, String> claimed = link.sync().xautoclaim(config.key(),
                    XAutoClaimArgs.Builder.xautoclaim(me, config.claimIdle(), "0-0").count(max - found.size()));
            collect(found, claimed.getMessages());
        }
        if (found.size() < max) {
            collect(found, link.sync().xreadgroup(me, XReadArgs.Builder.count(max - found.size()),
                    XReadArgs.StreamOffset.lastConsumed(config.key())));
        }
        List<Ticketed<T>> out = new ArrayList<>(found.size());
        found.entrySet().stream().limit(max).forEach(entry -> out.add(new Ticketed<>(entry.getKey(), entry.getValue())));
        return out;
    }

    private void collect(Map<Long, T> found, List<StreamMessage<String, String>> messages) {
        for (StreamMessage<String, String> message : messages) {
            long ticket = ticketOf(message.getId());
            String payload = message.getBody() == null ? null : message.getBody().get("v");
            if (payload == null) {
                ack(ticket); // acknowledged and deleted elsewhere while it was pending here
                continue;
            }
            found.put(ticket, config.codec().decode(Base64.getDecoder().decode(payload)));
        }
    }

    private static long ticketOf(String id) {
        return Long.parseLong(id.substring(id.indexOf('-') + 1));
    }

    /** Removes an item for good; a negative ticket is a spilled item's. Unknown tickets and repeats do nothing. */
    @Override
    public void ack(long ticket) {
        if (ticket < 0) {
            spill.ack(-ticket);
            return;
        }
        if (!health.degraded()) {
            try {
                ackOnStream(ticket);
                return;
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        unsentAcks.add(ticket);
    }

    private void ackOnStream(long ticket) {
        link.<Long>evalNow(ACK, ScriptOutputType.INTEGER, new String[] {config.key()}, config.group(), "0-" + ticket);
    }

    /** Items waiting on the stream (or being processed) plus those in the local spill. */
    @Override
    public int size() {
        long onStream = 0;
        if (!health.degraded()) {
            try {
                onStream = link.sync().xlen(config.key());
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, onStream + spill.size());
    }

    /** Items in the local spill, waiting for Redis. */
    public int spilled() {
        return spill.size();
    }

    /**
     * Retries Redis: sends the acknowledgements it missed, moves spilled items to the stream (stopping when it is
     * full) and turns the queue HEALTHY; the tick calls it every {@code resyncInterval}.
     *
     * @return whether Redis answered
     */
    boolean resync() {
        try {
            ensureGroup();
            Long pendingAck;
            while ((pendingAck = unsentAcks.peek()) != null) {
                ackOnStream(pendingAck);
                unsentAcks.poll();
            }
            for (Ticketed<T> spilled : spill.peek(Integer.MAX_VALUE)) {
                try {
                    offerToStream(spilled.item());
                } catch (QueueFullException full) {
                    break; // the rest waits in the spill for room on the stream
                }
                spill.ack(spilled.ticket());
            }
            health.succeeded();
            return true;
        } catch (RuntimeException e) {
            health.failed(e);
            return false;
        }
    }

    /** The resynchronisation the tick started last; tests wait on it. */
    CompletableFuture<Boolean> lastResync() {
        return lastResync;
    }

    private void ensureGroup() {
        try {
            link.sync().xgroupCreate(XReadArgs.StreamOffset.from(config.key(), "0"), config.group(),
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // the group is there already (BUSYGROUP)
        }
    }

    private static boolean isNoGroup(RedisException e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }

    private void scheduleTick() {
        if (!closed) {
            tick = config.scheduler().schedule(config.resyncInterval(), () -> {
                if ((health.degraded() || spill.size() > 0 || !unsentAcks.isEmpty())
                        && resyncing.compareAndSet(false, true)) {
                    lastResync = CompletableFuture.supplyAsync(this::resync, RESYNC)
                            .whenComplete((answered, failure) -> resyncing.set(false));
                }
                scheduleTick();
            });
        }
    }

    /** Stops the resynchronisation tick; items still in the spill are lost (the link is the caller's to close). */
    @Override
    public void close() {
        closed = true;
        tick.cancel();
        spill.close();
    }
}
