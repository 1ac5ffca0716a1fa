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
 * version header.
 */
final class HttpServerSetup {
    private HttpServerSetup() {
    }

    static void apply(JavalinConfig config, GatewayConfig.Server server) {
        ServerLimits limits = server.limits();
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = server.maxRequestBytes();
        config.http.prefer405over404 = true;
        config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
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
            jetty.setHandler(new GracefulHandler());
            jetty.setErrorHandler(new JsonErrorHandler());
        });
    }
}
