package dev.bulwark.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance's connection to the shared Redis, used in the background by the cluster limiters, the cluster retry
 * budget and the Redis Streams deferred queue. Commands fail fast instead of queueing while the connection is down (so
 * a component notices the outage at once and falls back to local state), every command has a timeout (default 500
 * ms), and the connection reconnects on its own every 100 ms. Lua scripts are sent by SHA ({@code EVALSHA}) and
 * reloaded when Redis answers {@code NOSCRIPT} (after a restart or a {@code SCRIPT FLUSH}).
 *
 * <p>Share one link between the components of an instance; close it when the instance stops. This class is
 * thread-safe.
 */
public final class RedisLink implements AutoCloseable {
    /** How long a command may take by default. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final RedisEndpoint endpoint;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final LongAdder operations = new LongAdder();
    private volatile CompletableFuture<Void> connected = new CompletableFuture<>();

    private RedisLink(RedisEndpoint endpoint, Duration commandTimeout) {
        this.endpoint = endpoint;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
        RedisURI uri = RedisURI.create(endpoint.url());
        // the handshake may take longer than a command on a loaded machine; commands get their own timeout below
        uri.setTimeout(commandTimeout.compareTo(CONNECT_TIMEOUT) > 0 ? commandTimeout : CONNECT_TIMEOUT);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                connected.complete(null);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                connected = new CompletableFuture<>();
            }
        });
        this.connection = client.connect();
        connected.complete(null);
    }

    /** Completes when the connection is up (now, or when it reconnects); for tests that restart Redis. */
    CompletableFuture<Void> connected() {
        return connection.isOpen() ? CompletableFuture.completedFuture(null) : connected;
    }

    /**
     * Connects to {@code endpoint} with the default command timeout.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now (later outages are survived)
     */
    public static RedisLink connect(RedisEndpoint endpoint) {
        return connect(endpoint, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Connects to {@code endpoint}; each command fails after {@code commandTimeout}.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now (later outages are survived)
     */
    public static RedisLink connect(RedisEndpoint endpoint, Duration commandTimeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("redis link: commandTimeout must be > 0, was " + commandTimeout);
        }
        return new RedisLink(endpoint, commandTimeout);
    }

    /** The endpoint this link talks to. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /** Redis commands sent so far through this link (scripts count once), for ops-per-second figures. */
    public long operations() {
        return operations.sum();
    }

    RedisAsyncCommands<String, String> async() {
        operations.increment();
        return connection.async();
    }

    RedisCommands<String, String> sync() {
        operations.increment();
        return connection.sync();
    }

    /** Runs {@code script} by SHA, loading it first when Redis does not know it. */
    <T> CompletableFuture<T> eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        operations.increment();
        CompletableFuture<T> bySha = connection.async().<T>evalsha(script.sha(), type, keys, args).toCompletableFuture();
        return bySha.handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                operations.increment();
                // EVAL runs the script and caches it, so the next EVALSHA finds it again
                return connection.async().<T>eval(script.source(), type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(next -> next);
    }

    /** Runs {@code script} and waits for its answer (for the deferred queue, whose offer must know). */
    <T> T evalNow(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        try {
            return this.<T>eval(script, type, keys, args).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
