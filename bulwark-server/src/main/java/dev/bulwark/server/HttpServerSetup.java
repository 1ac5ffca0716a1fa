package dev.bulwark.server;

import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.ServerLimits;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The gateway's HTTP server settings on Javalin and Jetty: one listener on {@code server.host:port} with the
 * configured accept backlog, idle timeout and header read deadline; JSON for the errors Jetty produces itself;
 * 405 (not 404) for a known path with the wrong method; graceful stop; no banner, no version nag, no server
 * version header; every request stamped with its id and the mode ({@link RequestStamp}).
 */
final class HttpServerSetup {
    /** The buffer Javalin copies each answer through to Jetty's output, which buffers 32 KiB itself. */
    static final int RESPONSE_COPY_BUFFER_BYTES = 4096;
    /** Characters of header fields each connection's parser caches: none (see {@link #apply}). */
    static final int HEADER_CACHE_CHARS = 0;

    private HttpServerSetup() {
    }

    /** Sets up {@code config} for {@code server}; every response names the mode {@code modeName} gives. */
    static void apply(JavalinConfig config, GatewayConfig.Server server, java.util.function.Supplier<String> modeName) {
        ServerLimits limits = server.limits();
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = server.maxRequestBytes();
        config.http.prefer405over404 = true;
        // Javalin allocates (and zeroes) a copy buffer of this size for every answer it writes; its default, 32 KiB,
        // was an eighth of the gateway's allocation per query. Answers larger than this are copied in several writes.
        config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
        config.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            // Jetty's parser caches the header fields a connection has seen in a table of 96 bytes per character
            // it may hold (by default 1,024: 96 KiB a connection, made by its first request). Each young collection
            // copied a new connection's table until it was tenured; with clients that reconnect, that lengthened
            // every pause. Without the cache the gateway measured less CPU per query, not more (see the README).
            http.setHeaderCacheSize(HEADER_CACHE_CHARS);
        });
        config.jetty.addConnector((jetty, http) -> {
            ServerConnector connector = new ServerConnector(jetty,
                    new HeaderDeadlineConnectionFactory(http, limits.headerReadTimeout()));
            connector.setHost(server.host());
            connector.setPort(server.port());
            connector.setAcceptQueueSize(limits.acceptQueueSize());
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            return connector;
        });
        config.jetty.modifyServer(jetty -> {
            jetty.setHandler(new GracefulHandler(new RequestStamp(modeName))); // Javalin's context goes inside
            jetty.setErrorHandler(new JsonErrorHandler());
        });
    }
}
