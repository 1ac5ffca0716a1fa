package dev.bulwark.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads the answer of the call a connection carries, as HTTP/1.1 response parts: status and keep-alive from the head,
 * the body collected up to {@link HttpAdapter#MAX_RESPONSE_BYTES}. A complete answer gives the connection back to its
 * pool when it may be kept alive (and closes it otherwise) before the call hears of it; a larger answer, a malformed
 * one, or an error on the connection fails the call and closes the connection. An informational (1xx) answer is
 * skipped. Closes a connection idle for {@link BackendClient#IDLE_TIMEOUT_SECONDS}.
 */
final class BackendExchangeHandler extends ChannelInboundHandlerAdapter {
    private final BackendConnections pool;
    private @Nullable BackendCall call;
    private int status;
    private boolean keepAlive;
    private boolean informational;
    private @Nullable ByteBuf body;

    BackendExchangeHandler(BackendConnections pool) {
        this.pool = pool;
    }

    void begin(BackendCall next) {
        call = next;
        informational = false;
    }

    /** Forgets {@code current} if this connection still carries it, so that closing it does not report it; true then. */
    boolean end(BackendCall current) {
        if (call != current) {
            return false;
        }
        call = null;
        releaseBody();
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            BackendCall current = call;
            if (current == null || current.isDone()) {
                ctx.close(); // nothing was asked on this connection: its state is unknown
                return;
            }
            if (message instanceof HttpObject part && part.decoderResult().isFailure()) {
                failAndClose(ctx, current, part.decoderResult().cause());
                return;
            }
            if (message instanceof HttpResponse head) {
                current.answerStarted();
                status = head.status().code();
                informational = status >= 100 && status < 200;
                keepAlive = HttpUtil.isKeepAlive(head);
                if (HttpUtil.getContentLength(head, -1L) > HttpAdapter.MAX_RESPONSE_BYTES) {
                    failAndClose(ctx, current, tooLarge());
                    return;
                }
            }
            if (message instanceof HttpContent content) {
                boolean last = message instanceof LastHttpContent;
                if (informational) {
                    informational = !last;
                } else if (last && body == null) {
                    finish(ctx, current, content.content()); // the whole body in one part: read it where it lies
                } else if (!collect(ctx, content.content())) {
                    failAndClose(ctx, current, tooLarge());
                } else if (last) {
                    finish(ctx, current, null);
                }
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private boolean collect(ChannelHandlerContext ctx, ByteBuf part) {
        ByteBuf collected = body;
        int size = (collected == null ? 0 : collected.readableBytes()) + part.readableBytes();
        if (size > HttpAdapter.MAX_RESPONSE_BYTES) {
            return false;
        }
        if (collected == null) {
            collected = ctx.alloc().heapBuffer(part.readableBytes());
            body = collected;
        }
        collected.writeBytes(part, part.readerIndex(), part.readableBytes());
        return true;
    }

    /** Ends the exchange with the body collected, or with {@code whole} when it came in one part. */
    private void finish(ChannelHandlerContext ctx, BackendCall current, @Nullable ByteBuf whole) {
        ByteBuf collected = body;
        String text;
        if (whole != null) {
            if (whole.readableBytes() > HttpAdapter.MAX_RESPONSE_BYTES) {
                failAndClose(ctx, current, tooLarge());
                return;
            }
            text = whole.toString(StandardCharsets.UTF_8);
        } else if (collected == null) {
            text = "";
        } else {
            text = collected.toString(StandardCharsets.UTF_8);
            releaseBody();
        }
        call = null;
        if (keepAlive) {
            pool.release(ctx.channel());
        } else {
            ctx.close();
        }
        current.answered(status, text);
    }

    private void failAndClose(ChannelHandlerContext ctx, BackendCall current, Throwable cause) {
        call = null;
        releaseBody();
        ctx.close();
        current.fail(cause);
    }

    private static TooLongFrameException tooLarge() {
        return new TooLongFrameException("the answer is larger than " + HttpAdapter.MAX_RESPONSE_BYTES + " bytes");
    }

    private void releaseBody() {
        ByteBuf collected = body;
        if (collected != null) {
            body = null;
            collected.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBody();
        BackendCall current = call;
        call = null;
        if (current != null) {
            current.connectionClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        BackendCall current = call;
        if (current != null) {
            failAndClose(ctx, current, cause);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
