package dev.bulwark.server;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The adapters' outbound HTTP client, on Netty: chosen over Jetty's and the JDK's client by the load check (see the
 * README). HTTP/1.1 with keep-alive, a {@link #CONNECT_TIMEOUT_MILLIS} connect timeout, no redirects followed, no
 * cookies kept, bodies neither compressed nor decompressed, https verified against the JVM's trusted certificates and
 * the backend's host name, host names looked up off the loops ({@link BackendNameResolver}). It runs on
 * {@link #loopCount()} event loops (daemon threads {@code bulwark-backend-*};
 * epoll where the platform has it, NIO elsewhere); each loop keeps its own keep-alive connections to each backend
 * (scheme, host and port): at most {@link #MAX_CONNECTIONS_PER_BACKEND} per backend over all loops, further calls
 * wait for a free one, at most {@link #MAX_QUEUED_PER_BACKEND}, and beyond that fail at once. A call made on one of
 * its loops (a retry or hedge started by an answer) stays on that loop; calls from other threads go out one group of
 * calls (one query's) at a time, to the loop with fewer calls in flight ({@link #send(BackendCall, Object)}).
 * Answers are reported on the loop that ran the exchange, so what completes on them must not block. Connections idle
 * for {@link #IDLE_TIMEOUT_SECONDS} are closed. This class is thread-safe.
 */
final class BackendClient {
    static final int MAX_CONNECTIONS_PER_BACKEND = 512;
    static final int MAX_QUEUED_PER_BACKEND = 4_096;
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int IDLE_TIMEOUT_SECONDS = 60;
    /** Ints between two loops' counts of calls in flight: 64 bytes, so that no two counts share a cache line. */
    private static final int SPACING = 16;

    private final EventLoopGroup loops;
    private final boolean epoll;
    /** Per loop, its connections by backend; each inner map is only touched on its loop. */
    private final Map<EventExecutor, Map<BackendCall.Origin, BackendConnections>> connections = new IdentityHashMap<>();
    /** Per loop, the backstop of its calls; each only touched on its loop. */
    private final Map<EventExecutor, BackendBackstop> backstops = new IdentityHashMap<>();
    private final EventLoop[] ordered;
    /** Counts the groups (and calls of no group) sent from other threads than the loops: their turns. */
    private final AtomicInteger turn = new AtomicInteger();
    private final ThreadLocal<LastGroup> lastGroup = ThreadLocal.withInitial(LastGroup::new);
    /** Per loop, the calls sent to it from other threads and not yet ended; loop i's count at i * SPACING. */
    private final AtomicIntegerArray inFlight;
    private final int maxConnectionsPerLoop;
    private final int maxQueuedPerLoop;
    private final BackendNameResolver names = new BackendNameResolver();
    private volatile @Nullable SslContext tls;

    private BackendClient(int loopCount, int maxConnectionsPerBackend, int maxQueuedPerBackend, long backstopSeconds) {
        this.epoll = Epoll.isAvailable();
        this.loops = new MultiThreadIoEventLoopGroup(loopCount, new DefaultThreadFactory("bulwark-backend", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        java.util.List<EventLoop> all = new java.util.ArrayList<>();
        for (EventExecutor loop : loops) {
            connections.put(loop, new HashMap<>());
            backstops.put(loop, new BackendBackstop(backstopSeconds, sweep -> {
                try {
                    loop.schedule(sweep, 1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the client is stopping: its loops close every connection, which fails the calls still running
                }
            }));
            all.add((EventLoop) loop);
        }
        this.ordered = all.toArray(EventLoop[]::new);
        this.inFlight = new AtomicIntegerArray(ordered.length * SPACING);
        this.maxConnectionsPerLoop = ceilDiv(maxConnectionsPerBackend, loopCount);
        this.maxQueuedPerLoop = ceilDiv(maxQueuedPerBackend, loopCount);
    }

    /** A started client; stop it with {@link #stop()}. */
    static BackendClient start() {
        return start(loopCount(), MAX_CONNECTIONS_PER_BACKEND, MAX_QUEUED_PER_BACKEND);
    }

    /** A started client on {@code loopCount} loops with other limits per backend (each loop takes its share). */
    static BackendClient start(int loopCount, int maxConnectionsPerBackend, int maxQueuedPerBackend) {
        return start(loopCount, maxConnectionsPerBackend, maxQueuedPerBackend, HttpAdapter.BACKSTOP_TIMEOUT_SECONDS);
    }

    /** As above, ending each call that has not ended a second or less after {@code backstopSeconds}. */
    static BackendClient start(int loopCount, int maxConnectionsPerBackend, int maxQueuedPerBackend,
                               long backstopSeconds) {
        return new BackendClient(loopCount, maxConnectionsPerBackend, maxQueuedPerBackend, backstopSeconds);
    }

    /** One loop per processor, at least two. */
    static int loopCount() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Sends {@code call}'s request; its listener hears the answer or the failure, once, on the loop that ran it. A call
     * made on one of the client's loops stays on it. Otherwise calls of one {@code group} (say, one query's calls to
     * its adapters) sent in a row from one thread go out on one loop, so that their answers meet on one thread; each
     * new group, and each call of no group ({@code null}), goes to the loop with fewer calls in flight of the next two
     * in turn, so that a loop that fell behind (descheduled, or busy with a burst of answers) gets less new work.
     */
    void send(BackendCall call, @Nullable Object group) {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        if (current != null && connections.containsKey(current)) {
            start(call, (EventLoop) current);
        } else {
            int index = group == null ? nextLoop() : loopFor(group);
            EventLoop loop = ordered[index];
            call.assign(loop);
            call.countIn(inFlight, index * SPACING);
            loop.execute(() -> start(call, loop));
        }
    }

    /** The index of the loop for a call of {@code group} sent from this thread (not one of the client's loops). */
    int loopFor(Object group) {
        LastGroup last = lastGroup.get();
        if (last.group != group) {
            last.group = group;
            last.index = nextLoop();
        }
        return last.index;
    }

    /** Of the next two loops in turn, the one with fewer calls in flight (the first on a tie). */
    private int nextLoop() {
        int first = Math.floorMod(turn.getAndIncrement(), ordered.length);
        int second = first + 1 == ordered.length ? 0 : first + 1;
        return inFlight.get(second * SPACING) < inFlight.get(first * SPACING) ? second : first;
    }

    /** Calls sent from other threads than the loops and not yet ended, on the loop of {@code index}. */
    int inFlight(int index) {
        return inFlight.get(index * SPACING);
    }

    /** The group a thread sent its last call for, and that call's loop. */
    private static final class LastGroup {
        private @Nullable Object group;
        private int index;
    }

    private void start(BackendCall call, EventLoop loop) {
        call.assign(loop);
        BackendConnections pool = java.util.Objects.requireNonNull(connections.get(loop)).computeIfAbsent(call.origin(),
                origin -> new BackendConnections(origin, loop, epoll, origin.secure() ? tls() : null,
                        names, maxConnectionsPerLoop, maxQueuedPerLoop));
        call.start(pool, java.util.Objects.requireNonNull(backstops.get(loop)));
    }

    private SslContext tls() {
        SslContext context = tls;
        if (context == null) {
            synchronized (this) {
                context = tls;
                if (context == null) {
                    try {
                        context = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
                    } catch (SSLException failed) {
                        throw new IllegalStateException("no TLS context for https backends: " + failed, failed);
                    }
                    tls = context;
                }
            }
        }
        return context;
    }

    /** Stops the client: open connections close, and calls still running fail. */
    void stop() {
        if (!loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            System.getLogger(BackendClient.class.getName()).log(System.Logger.Level.WARNING,
                    "the backend HTTP client's event loops did not stop within 5 s");
        }
        names.close();
    }

    private static int ceilDiv(int total, int parts) {
        return (total + parts - 1) / parts;
    }
}
