package dev.bulwark.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The two Redis connections of one instance (commands, and a pub/sub subscription to the verdict channel). Every
 * exchange is asynchronous with the configured timeout; commands fail fast while disconnected instead of queueing, and
 * every failure is reported to {@code onFailure} rather than thrown. Lettuce reconnects on its own and re-subscribes the
 * channel; {@code onConnected} runs after every (re-)subscription so the owner can resynchronise.
 */
final class VerdictLink implements AutoCloseable {

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onConnected;
    private final Consumer<Throwable> onFailure;
    private final LongAdder operations = new LongAdder();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile @Nullable StatefulRedisConnection<String, String> commands;
    private volatile @Nullable StatefulRedisPubSubConnection<String, String> subscription;
    private volatile boolean closed;
    private volatile boolean subscribed;

    VerdictLink(RedisEndpoint endpoint, Duration commandTimeout, String channel, Consumer<String> onMessage,
              Runnable onConnected, Consumer<Throwable> onFailure) {
        this.channel = channel;
        this.onMessage = onMessage;
        this.onConnected = onConnected;
        this.onFailure = onFailure;
        this.uri = RedisURI.create(endpoint.url());
        uri.setTimeout(commandTimeout);
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout.multipliedBy(4)).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == subscription) {
                    subscribed = false;
                }
                if (!closed) {
                    onFailure.accept(new IllegalStateException("connection to Redis lost"));
                }
            }
        });
    }

    /**
     * Opens both connections if they are not open yet (in the background); a failure is reported and retried on the
     * next call. Lettuce itself re-establishes a connection that was open once.
     */
    void ensureConnected() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> existing = subscription;
        if (commands != null && existing != null) {
            if (!subscribed && existing.isOpen()) {
                // connected, but a (re-)subscription failed, e.g. timed out under load: ask again
                operations.increment();
                existing.async().subscribe(channel).toCompletableFuture()
                        .whenComplete((ignored, error) -> connecting.set(false));
            } else {
                connecting.set(false);
            }
            return;
        }
        operations.increment();
        CompletableFuture<StatefulRedisConnection<String, String>> cmd =
                client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        cmd.thenCompose(connection -> {
            commands = connection;
            return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
        }).thenCompose(pubsub -> {
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    onMessage.accept(message);
                }

                // Lettuce re-subscribes after every reconnection; only from here on is no verdict missed, so the
                // owner re-reads the shared state after this, never before
                @Override
                public void subscribed(String subscribedChannel, long count) {
                    subscribed = true;
                    if (!closed) {
                        VerdictLink.this.onConnected.run();
                    }
                }
            });
            subscription = pubsub;
            operations.increment();
            return pubsub.async().subscribe(channel).toCompletableFuture();
        }).whenComplete((ignored, error) -> {
            if (error != null && subscription == null) {
                dropHalfOpenedConnections();
            }
            connecting.set(false);
            if (error != null) {
                onFailure.accept(error);
            }
        });
    }

    private void dropHalfOpenedConnections() {
        StatefulRedisConnection<String, String> connection = commands;
        if (connection != null && subscription == null) {
            commands = null;
            connection.closeAsync();
        }
    }

    /**
     * Runs one command; a failure (no connection yet, rejected while disconnected, timed out, a Redis error) completes
     * the stage exceptionally and is reported to {@code onFailure}.
     */
    <T> CompletionStage<T> run(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> connection = commands;
        operations.increment();
        if (connection == null || closed) {
            IllegalStateException notConnected = new IllegalStateException("not connected to Redis");
            onFailure.accept(notConnected);
            return CompletableFuture.failedFuture(notConnected);
        }
        CompletableFuture<T> result;
        try {
            result = command.apply(connection.async()).toCompletableFuture();
        } catch (RuntimeException rejected) {
            onFailure.accept(rejected);
            return CompletableFuture.failedFuture(rejected);
        }
        return result.whenComplete((value, error) -> {
            if (error != null) {
                onFailure.accept(error);
            }
        });
    }

    /** True while the verdict channel is subscribed: only then can a resynchronised view stay in sync. */
    boolean subscribed() {
        return subscribed;
    }

    /** Commands sent (or attempted) so far. */
    long operations() {
        return operations.sum();
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, String> pubsub = subscription;
        StatefulRedisConnection<String, String> connection = commands;
        if (pubsub != null) {
            pubsub.close();
        }
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
