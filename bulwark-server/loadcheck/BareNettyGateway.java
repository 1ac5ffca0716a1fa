import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A load-check yardstick on another stack: the bare gateway of {@code BareGateway.java} (no policies, the same request
 * and answer JSON, {@code CompletableFuture.allOf} over the backends) served and called with Netty 4.2 alone. Each
 * server event loop keeps its own keep-alive connections to every backend and calls them on the same loop, so a query
 * never changes threads. It answers whether a gateway could gain by leaving Jetty for Netty; not part of the product.
 *
 * <pre>java -cp NETTY_JARS:bulwark-gateway.jar:DIR BareNettyGateway PORT URL...</pre>
 */
public final class BareNettyGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BareNettyGateway() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<URI> backends = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            backends.add(URI.create(args[i]));
        }
        boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("bare.nio");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Integer.getInteger("bare.loops", 2),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Map<EventLoop, Pools> pools = new HashMap<>();
        group.forEach(executor -> pools.put((EventLoop) executor, new Pools((EventLoop) executor, backends, epoll)));
        new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new QueryHandler(pools.get(channel.eventLoop())));
                    }
                }).bind("127.0.0.1", port).sync();
        System.err.println("bare netty gateway on " + port + (epoll ? " (epoll)" : " (nio)"));
    }

    /**
     * Netty as the outbound client of another server (the bare Javalin gateway's {@code netty} client): each call goes
     * to the next event loop, which keeps its own keep-alive connections to each backend.
     */
    static java.util.function.BiFunction<URI, String, CompletableFuture<String>> client() {
        boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("bare.nio");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Integer.getInteger("bare.loops", 2),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Map<EventLoop, Map<String, Pool>> pools = new java.util.concurrent.ConcurrentHashMap<>();
        return (uri, requestId) -> {
            EventLoop loop = group.next();
            CompletableFuture<String> answer = new CompletableFuture<>();
            loop.execute(() -> {
                Pool pool = pools.computeIfAbsent(loop, any -> new HashMap<>()).computeIfAbsent(
                        uri.getHost() + ":" + uri.getPort(), any -> new Pool(loop, uri, epoll));
                pool.get(uri.getRawPath() + "?" + uri.getRawQuery(), requestId).whenComplete((value, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(value);
                    }
                });
            });
            return answer;
        };
    }

    /** One event loop's connections to each backend. */
    private static final class Pools {
        private final List<Pool> byBackend = new ArrayList<>();

        Pools(EventLoop loop, List<URI> backends, boolean epoll) {
            for (URI backend : backends) {
                byBackend.add(new Pool(loop, backend, epoll));
            }
        }
    }

    /** Idle keep-alive connections to one backend, used only on their event loop. */
    private static final class Pool {
        private final URI backend;
        private final Bootstrap bootstrap;
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();

        Pool(EventLoop loop, URI backend, boolean epoll) {
            this.backend = backend;
            this.bootstrap = new Bootstrap().group(loop)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                    new Exchange(Pool.this));
                        }
                    });
        }

        CompletableFuture<String> get(String pathAndQuery, String requestId) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery,
                    Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, backend.getHost() + ":" + backend.getPort())
                    .set("X-Request-Id", requestId);
            Channel channel = idle.pollLast();
            if (channel != null && channel.isActive()) {
                send(channel, request, answer);
            } else {
                bootstrap.connect(backend.getHost(), backend.getPort()).addListener(connected -> {
                    if (connected.isSuccess()) {
                        send(((io.netty.channel.ChannelFuture) connected).channel(), request, answer);
                    } else {
                        answer.completeExceptionally(connected.cause());
                    }
                });
            }
            return answer;
        }

        private void send(Channel channel, FullHttpRequest request, CompletableFuture<String> answer) {
            channel.pipeline().get(Exchange.class).pending = answer;
            channel.writeAndFlush(request);
        }
    }

    /** Completes the pending call of its connection and puts the connection back. */
    private static final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Pool pool;
        CompletableFuture<String> pending;

        Exchange(Pool pool) {
            this.pool = pool;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<String> call = pending;
            pending = null;
            if (HttpUtil.isKeepAlive(response)) {
                pool.idle.addLast(ctx.channel());
            } else {
                ctx.close();
            }
            if (response.status().code() >= 500) {
                call.completeExceptionally(new IllegalStateException("HTTP " + response.status().code()));
            } else {
                call.complete(response.content().toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.completeExceptionally(new IllegalStateException("connection closed"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** POST /query: fans the query out to every backend of this loop and answers when all have. */
    private static final class QueryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Pools pools;

        QueryHandler(Pools pools) {
            this.pools = pools;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.method() != HttpMethod.POST || !"/query".equals(request.uri())) {
                write(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, null, "{\"error\":\"not found\"}".getBytes());
                return;
            }
            byte[] body = new byte[request.content().readableBytes()];
            request.content().readBytes(body);
            String query = JSON.readTree(body).path("query").asText();
            String requestId = UUID.randomUUID().toString();
            long start = System.nanoTime();
            String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (Pool pool : pools.byBackend) {
                calls.add(pool.get(pool.backend.getRawPath() + "?q=" + q, requestId));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
                try {
                    write(ctx, keepAlive, HttpResponseStatus.OK, requestId,
                            JSON.writeValueAsBytes(BareGateway.answerOf(requestId, start, calls)));
                } catch (Exception unserializable) {
                    ctx.close();
                }
            });
        }

        private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                  String requestId, byte[] body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (requestId != null) {
                response.headers().set("X-Request-Id", requestId);
            }
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }
}
