package dev.bulwark.server;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A JDK {@link HttpClient} built on first use: building one sets up the default TLS context (the trust store, a few
 * hundred classes) and starts a selector thread, which the gateway's start-up does not need when nothing calls out
 * yet (webhooks, HTTP health checks and failover provisioning are its only users; the adapters have their own
 * client). Every method builds the client once, then delegates. This class is thread-safe.
 */
final class DeferredHttpClient extends HttpClient {
    private final Supplier<HttpClient> build;
    private volatile @Nullable HttpClient built;

    DeferredHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    /** Whether the client was built (for tests of what start-up does). */
    boolean isBuilt() {
        return built != null;
    }

    private HttpClient client() {
        HttpClient client = built;
        if (client == null) {
            synchronized (this) {
                client = built;
                if (client == null) {
                    client = build.get();
                    built = client;
                }
            }
        }
        return client;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return client().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return client().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return client().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return client().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return client().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return client().authenticator();
    }

    @Override
    public Version version() {
        return client().version();
    }

    @Override
    public Optional<Executor> executor() {
        return client().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return client().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.@Nullable PushPromiseHandler<T> pushPromises) {
        return client().sendAsync(request, handler, pushPromises);
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return client().newWebSocketBuilder();
    }
}
