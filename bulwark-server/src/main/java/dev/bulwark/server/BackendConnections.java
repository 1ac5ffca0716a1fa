package dev.bulwark.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's keep-alive connections to one backend, and the calls waiting for one. Used only on its loop, so
 * nothing here is synchronised: the most recently returned idle connection is reused first, a call that finds none
 * idle opens one while fewer than the limit are open, and otherwise waits in line.
 */
final class BackendConnections {
    /** What Netty's native transport puts before the reason: {@code finishConnect(..) failed with error(-111): }. */
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");
    private final BackendCall.Origin origin;
    private final Bootstrap bootstrap;
    private final int maxOpen;
    private final int maxWaiting;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<BackendCall> waiting = new ArrayDeque<>();
    private int open;

    BackendConnections(BackendCall.Origin origin, EventLoop loop, boolean epoll, @Nullable SslContext tls,
                       BackendNameResolver names, int maxOpen, int maxWaiting) {
        this.origin = origin;
        this.maxOpen = maxOpen;
        this.maxWaiting = maxWaiting;
        this.bootstrap = new Bootstrap().group(loop).resolver(names)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, BackendClient.CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc(), origin.host(), origin.port()));
                        }
                        channel.pipeline().addLast(new HttpClientCodec(),
                                new IdleStateHandler(0, 0, BackendClient.IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                                new BackendExchangeHandler(BackendConnections.this));
                    }
                });
    }

    /** Runs {@code call} on an idle connection, a new one, or, at the limit, when one is free. */
    void acquire(BackendCall call) {
        Channel channel;
        while ((channel = idle.pollLast()) != null) {
            if (channel.isActive()) {
                call.sendOn(channel, true);
                return;
            }
        }
        acquireNew(call);
    }

    /** Runs {@code call} on a connection opened for it (a retry after a kept-alive connection turned out closed). */
    void acquireNew(BackendCall call) {
        if (open < maxOpen) {
            connect(call);
        } else if (waiting.size() < maxWaiting) {
            waiting.addLast(call);
        } else {
            call.fail(new RejectedExecutionException(maxWaiting + " calls already wait for a connection to "
                    + origin + " (" + maxOpen + " open on this event loop)"));
        }
    }

    private void connect(BackendCall call) {
        open++;
        ChannelFuture connecting = bootstrap.connect(origin.host(), origin.port());
        Channel channel = connecting.channel();
        channel.closeFuture().addListener(closed -> closed(channel));
        connecting.addListener(connected -> {
            if (connected.isSuccess()) {
                call.sendOn(channel, false);
            } else {
                call.fail(plain(connected.cause()));
            }
        });
    }

    /**
     * A refused or unreachable connection as the JDK names it: Netty's native transport reports one as its own
     * {@link ConnectException} subclass, with the system call's name and error number in the message.
     */
    static Throwable plain(Throwable failure) {
        if (!(failure instanceof ConnectException) || failure.getClass() == ConnectException.class
                || failure instanceof io.netty.channel.ConnectTimeoutException) {
            return failure;
        }
        return new ConnectException(NATIVE_PREFIX.matcher(String.valueOf(failure.getMessage())).replaceFirst(""));
    }

    /** Takes back a connection whose exchange ended with the connection kept alive. */
    void release(Channel channel) {
        BackendCall next;
        while ((next = waiting.pollFirst()) != null) {
            if (!next.isDone()) {
                next.sendOn(channel, true);
                return;
            }
        }
        idle.addLast(channel);
    }

    /** Forgets a waiting call that ended before it had a connection. */
    void forget(BackendCall call) {
        waiting.remove(call);
    }

    private void closed(Channel channel) {
        open--;
        idle.remove(channel);
        BackendCall next;
        while ((next = waiting.pollFirst()) != null) {
            if (!next.isDone()) {
                connect(next);
                return;
            }
        }
    }
}
