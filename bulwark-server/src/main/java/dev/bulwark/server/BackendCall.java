package dev.bulwark.server;

import dev.bulwark.internal.VarHandles;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jspecify.annotations.Nullable;

/**
 * One request to a backend through the {@link BackendClient}, from the moment it is sent until its listener heard how
 * it ended: an answer (any status), a failure, or an abort. Everything but {@link #abort} runs on the call's event
 * loop. A GET that finds its kept-alive connection closed before any of the answer arrived is sent once more on a new
 * connection (the backend closed an idle connection as it was reused); anything else that closes the connection fails
 * the call. Every call ends within a second after {@link HttpAdapter#BACKSTOP_TIMEOUT_SECONDS}
 * ({@link BackendBackstop}).
 */
final class BackendCall {
    /** Where a call goes: a backend as its connections are pooled. */
    record Origin(boolean secure, String host, int port) {
        @Override
        public String toString() {
            return (secure ? "https://" : "http://") + host + ":" + port;
        }
    }

    /** Hears how a call ended, once, on its event loop. */
    interface Listener {
        void answered(int status, String body);

        void failed(Throwable cause);
    }

    private final Origin origin;
    private final FullHttpRequest request;
    private final Listener listener;
    private volatile @Nullable EventLoop loop;
    private static final VarHandle COUNTED = VarHandles.field(MethodHandles.lookup(), "counted", int.class);
    private static final int NOT_COUNTED = 0;
    private static final int COUNTED_IN = 1;
    private static final int ENDED = 2;
    /** Where the call is counted while in flight; written before {@link #counted} says so. */
    private @Nullable AtomicIntegerArray counts;
    private int countSlot;
    /** Whether the call is counted: raised once, and lowered once when it ends, whichever thread comes first. */
    @SuppressWarnings("unused") // through COUNTED
    private volatile int counted;
    private @Nullable BackendConnections connections;
    private @Nullable Channel channel;
    private long startedAtSweep;
    private boolean done;
    /** Set by {@link #abort} at once, from any thread, so that the loop does not start the call in the meantime. */
    private volatile boolean abandoned;
    private boolean reusedConnection;
    private boolean resent;
    private boolean answerStarted;

    BackendCall(Origin origin, FullHttpRequest request, Listener listener) {
        this.origin = origin;
        this.request = request;
        this.listener = listener;
    }

    Origin origin() {
        return origin;
    }

    boolean isDone() {
        return done || abandoned;
    }

    /**
     * Counts the call in {@code counts} at {@code slot} until it ends; a call that has already ended (aborted at once)
     * is not counted.
     */
    void countIn(AtomicIntegerArray counts, int slot) {
        this.counts = counts;
        this.countSlot = slot;
        if (COUNTED.compareAndSet(this, NOT_COUNTED, COUNTED_IN)) {
            counts.getAndIncrement(slot);
        }
    }

    void assign(EventLoop loop) {
        this.loop = loop;
    }

    void start(BackendConnections pool, BackendBackstop backstop) {
        if (isDone()) {
            return; // aborted before its loop took it
        }
        connections = pool;
        backstop.watch(this);
        pool.acquire(this);
    }

    /** Set by the backstop as it starts watching the call. */
    void startedAtSweep(long sweep) {
        startedAtSweep = sweep;
    }

    long startedAtSweep() {
        return startedAtSweep;
    }

    /** Writes the request on {@code connection}, which is now this call's until the answer ends. */
    void sendOn(Channel connection, boolean reused) {
        BackendConnections pool = connections;
        if (isDone()) {
            if (pool != null) {
                pool.release(connection); // the call ended while it waited: the connection is unused
            }
            return;
        }
        channel = connection;
        reusedConnection = reused;
        answerStarted = false;
        BackendExchangeHandler exchange = connection.pipeline().get(BackendExchangeHandler.class);
        exchange.begin(this);
        connection.writeAndFlush(request.retainedDuplicate()).addListener(written -> {
            if (!written.isSuccess() && exchange.end(this)) {
                connection.close();
                lost(written.cause());
            }
        });
    }

    void answerStarted() {
        answerStarted = true;
    }

    /** The connection closed under the call. */
    void connectionClosed() {
        lost(new IOException(answerStarted ? "the backend closed the connection in the middle of its answer"
                : "the backend closed the connection before answering"));
    }

    /**
     * The call's connection is gone (closed, or the request could not be written): a GET on a kept-alive connection
     * with nothing of its answer read is sent once more on a new connection, anything else fails with {@code cause}.
     */
    private void lost(Throwable cause) {
        if (isDone()) {
            return;
        }
        BackendConnections pool = connections;
        if (pool != null && reusedConnection && !answerStarted && !resent && HttpMethod.GET.equals(request.method())) {
            resent = true;
            channel = null;
            pool.acquireNew(this);
            return;
        }
        fail(cause);
    }

    void answered(int status, String body) {
        if (done) {
            return;
        }
        end();
        listener.answered(status, body);
    }

    /** Ends the call with {@code cause}, closing its connection if it had one (its state is unknown). */
    void fail(Throwable cause) {
        if (done) {
            return;
        }
        end();
        Channel connection = channel;
        if (connection != null) {
            connection.close();
        }
        BackendConnections pool = connections;
        if (connection == null && pool != null) {
            pool.forget(this);
        }
        listener.failed(cause);
    }

    /** Ends the call from any thread: its exchange is abandoned and its connection closed. */
    void abort(Throwable cause) {
        abandoned = true;
        EventLoop on = loop;
        if (on == null || on.inEventLoop()) {
            fail(cause);
        } else {
            on.execute(() -> fail(cause));
        }
    }

    private void end() {
        done = true;
        request.release();
        if ((int) COUNTED.getAndSet(this, ENDED) == COUNTED_IN) {
            java.util.Objects.requireNonNull(counts).getAndDecrement(countSlot);
        }
    }
}
