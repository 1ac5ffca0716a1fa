package dev.bulwark.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bulwark.ExecutionContext;
import dev.bulwark.fanout.Adapter;
import dev.bulwark.internal.VarHandles;
import dev.bulwark.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.invoke.MethodHandles;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An adapter that asks an HTTP backend: {@code GET <url>?q=<query>} (or a POST of its body template), carrying the
 * request id as a header, through the gateway's {@link BackendClient}. A 5xx answer is a failure, and so is an
 * answer larger than {@link #MAX_RESPONSE_BYTES} or one that takes longer than {@link #BACKSTOP_TIMEOUT_SECONDS}
 * (checked once a second; the adapter's timeout policy normally ends it far earlier); each failure is a
 * {@link BackendException} naming the request. The stage completes on the client's event loop, so what runs on it
 * must not block (the queue_for_later fallback, which forces its journal to disk, moves off it:
 * {@link OffLoopFallback}). Cancelling the stage aborts the exchange. Each exchange is timed into
 * {@code bulwark_adapter_request_seconds} by outcome.
 */
final class HttpAdapter implements Adapter<String, String> {
    /** The gateway request id, sent to the backend as {@code X-Request-Id}. */
    static final ExecutionContext.Key<String> REQUEST_ID = ExecutionContext.Key.of("request-id", String.class);
    /** The query, for the fallback cache's key. */
    static final ExecutionContext.Key<String> QUERY = ExecutionContext.Key.of("query", String.class);
    /** An alternative URL chosen by the fallback's switch_provider. */
    static final ExecutionContext.Key<URI> TARGET = ExecutionContext.Key.of("target", URI.class);
    /** Set by the fallback's degrade: send the degraded request. */
    static final ExecutionContext.Key<Boolean> DEGRADED = ExecutionContext.Key.of("degraded", Boolean.class);
    /** Set when the client's quota steers to switch_provider: call the adapter's first alternative URL. */
    static final ExecutionContext.Key<Boolean> QUOTA_SWITCH = ExecutionContext.Key.of("quota-switch", Boolean.class);
    /** Where each adapter's answer came from. */
    static final ExecutionContext.Key<ServedBy> SERVED_BY = ExecutionContext.Key.of("served-by", ServedBy.class);

    /** The largest answer body read; a larger one fails the call (it would only be buffered to be thrown away). */
    static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    /** Every exchange ends within a second after this, even with no timeout policy in front of it. */
    static final long BACKSTOP_TIMEOUT_SECONDS = 30;
    /** Sent as {@code User-Agent} unless the adapter's headers name another. */
    static final String USER_AGENT = "Bulwark-Gateway";
    private static final Clock CLOCK = ExactClock.INSTANCE;
    private final String name;
    private final java.util.function.Supplier<URI> url;
    private final BackendClient client;
    private final String method;
    private final java.util.Map<String, String> headers;
    private final String bodyTemplate;
    private final @org.jspecify.annotations.Nullable URI degradedUrl;
    private final @org.jspecify.annotations.Nullable String degradedTemplate;
    private final @org.jspecify.annotations.Nullable URI firstAlternative;

    private final Timer succeeded;
    private final Timer failed;
    private final Timer cancelled;
    private final io.micrometer.core.instrument.Counter servedPrimary;
    private final io.micrometer.core.instrument.Counter servedSwitched;
    private final io.micrometer.core.instrument.Counter servedDegraded;

    HttpAdapter(String name, URI url, BackendClient client, String method, java.util.Map<String, String> headers,
                String bodyTemplate, @org.jspecify.annotations.Nullable URI degradedUrl,
                @org.jspecify.annotations.Nullable String degradedTemplate,
                @org.jspecify.annotations.Nullable URI firstAlternative, MeterRegistry meters) {
        this(name, () -> url, client, method, headers, bodyTemplate, degradedUrl, degradedTemplate, firstAlternative,
                meters);
    }

    /** As above, calling whatever {@code url} names at each call (a failover group's current backend). */
    HttpAdapter(String name, java.util.function.Supplier<URI> url, BackendClient client, String method,
                java.util.Map<String, String> headers, String bodyTemplate,
                @org.jspecify.annotations.Nullable URI degradedUrl,
                @org.jspecify.annotations.Nullable String degradedTemplate,
                @org.jspecify.annotations.Nullable URI firstAlternative, MeterRegistry meters) {
        this.firstAlternative = firstAlternative;
        this.degradedUrl = degradedUrl;
        this.degradedTemplate = degradedTemplate;
        this.name = name;
        this.url = url;
        this.client = client;
        this.method = method;
        this.headers = headers;
        this.bodyTemplate = bodyTemplate;
        this.succeeded = GatewayMetrics.adapterTimer(meters, name, "success");
        this.failed = GatewayMetrics.adapterTimer(meters, name, "failure");
        this.cancelled = GatewayMetrics.adapterTimer(meters, name, "cancelled");
        this.servedPrimary = GatewayMetrics.servedCounter(meters, name, "primary");
        this.servedSwitched = GatewayMetrics.servedCounter(meters, name, "switch_provider");
        this.servedDegraded = GatewayMetrics.servedCounter(meters, name, "degrade");
    }

    @Override
    public String name() {
        return name;
    }

    URI url() {
        return url.get();
    }

    /** The query as the inside of a JSON string. */
    static String jsonEscaped(String query) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(query));
    }

    /** The start of a failed answer's body, on one line, so that the error says what the backend said. */
    private static String snippet(String body) {
        String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    @Override
    public CompletionStage<String> execute(String query, ExecutionContext context) {
        boolean degraded = context.getOrDefault(DEGRADED, Boolean.FALSE);
        URI switched = context.get(TARGET).orElse(
                context.getOrDefault(QUOTA_SWITCH, Boolean.FALSE) ? firstAlternative : null);
        URI endpoint = switched != null ? switched : degraded && degradedUrl != null ? degradedUrl : url.get();
        String template = degraded && degradedTemplate != null ? degradedTemplate : bodyTemplate;
        String path = switched != null ? "switch_provider " + switched : degraded ? "degrade" : "primary";
        boolean post = method.equals("POST");
        String target = post ? pathAndQuery(endpoint) : withQuery(pathAndQuery(endpoint), query);
        FullHttpRequest request;
        if (post) {
            byte[] body = template.replace("{{query}}", jsonEscaped(query)).getBytes(StandardCharsets.UTF_8);
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target,
                    Unpooled.wrappedBuffer(body));
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        } else {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
        }
        HttpHeaders fields = request.headers();
        fields.set(HttpHeaderNames.HOST, endpoint.getPort() < 0 ? endpoint.getHost()
                : endpoint.getHost() + ":" + endpoint.getPort());
        fields.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        headers.forEach(fields::set); // a configured header replaces the client's own (Host, User-Agent), never doubles it
        String requestId = context.get(REQUEST_ID).orElse(null);
        fields.set(RequestIds.HEADER, requestId == null ? "-" : requestId);
        Call call = new Call(origin(endpoint), request, endpoint, path,
                switched != null ? servedSwitched : degraded ? servedDegraded : servedPrimary, context);
        // one query's calls to its adapters carry one request id: they go out on one loop, and meet there
        client.send(call.exchange, requestId);
        return call;
    }

    /** The request target of {@code endpoint}: its raw path ({@code /} when empty) and raw query. */
    private static String pathAndQuery(URI endpoint) {
        String rawPath = endpoint.getRawPath();
        String target = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String rawQuery = endpoint.getRawQuery();
        return rawQuery == null ? target : target + "?" + rawQuery;
    }

    /** {@code target} with {@code q=<query>} added to its query string, form-encoded. */
    static String withQuery(String target, String query) {
        return target + (target.indexOf('?') < 0 ? "?q=" : "&q=") + URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static BackendCall.Origin origin(URI endpoint) {
        boolean secure = "https".equalsIgnoreCase(endpoint.getScheme());
        String host = endpoint.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in the backend URL " + endpoint);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal, connected to without its brackets
        }
        return new BackendCall.Origin(secure, host, endpoint.getPort() >= 0 ? endpoint.getPort() : secure ? 443 : 80);
    }

    /**
     * One exchange and its answer, in one future: the backend call's listener completes it, cancelling it aborts the
     * exchange (a timeout, the fan-out's deadline, a first success elsewhere). Whichever of the answer and the
     * cancellation comes first decides, and times the outcome before anyone waiting on the future can see it.
     */
    private final class Call extends CompletableFuture<String> implements BackendCall.Listener {
        private static final java.lang.invoke.VarHandle DECIDED =
                VarHandles.field(MethodHandles.lookup(), "decided", boolean.class);

        private final BackendCall exchange;
        private final FullHttpRequest request;
        private final URI endpoint;
        private final String path;
        private final io.micrometer.core.instrument.Counter served;
        private final ExecutionContext context;
        private final long start = CLOCK.nanoTime();
        @SuppressWarnings("unused") // through DECIDED
        private volatile boolean decided;

        Call(BackendCall.Origin origin, FullHttpRequest request, URI endpoint, String path,
             io.micrometer.core.instrument.Counter served, ExecutionContext context) {
            this.exchange = new BackendCall(origin, request, this);
            this.request = request;
            this.endpoint = endpoint;
            this.path = path;
            this.served = served;
            this.context = context;
        }

        @Override
        public void failed(Throwable cause) {
            if (!decide()) {
                return; // cancelled first: this is the abort's echo
            }
            failWith(new BackendException(target() + " failed", cause));
        }

        private void failWith(BackendException failure) {
            record(failed);
            completeExceptionally(failure);
        }

        @Override
        public void answered(int status, String body) {
            if (!decide()) {
                return;
            }
            if (status >= 500) {
                failWith(new BackendException(target() + ": HTTP " + status + snippet(body)));
                return;
            }
            context.get(SERVED_BY).ifPresent(servedBy -> servedBy.record(name, path));
            served.increment();
            record(succeeded);
            complete(body);
        }

        /** Cancels the call and aborts its exchange, unless its answer came first (then false). */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!decide()) {
                return isCancelled();
            }
            record(cancelled);
            boolean won = super.cancel(mayInterruptIfRunning);
            exchange.abort(new CancellationException(target() + " was cancelled"));
            return won;
        }

        /** Whether this caller is the first of the answer, the failure and the cancellation (the one that decides). */
        private boolean decide() {
            return DECIDED.compareAndSet(this, false, true);
        }

        /** The exchange as errors name it: {@code GET http://host:port/path?q=...}. */
        private String target() {
            return request.method() + " " + endpoint.getScheme() + "://" + endpoint.getRawAuthority() + request.uri();
        }

        private void record(Timer outcome) {
            outcome.record(CLOCK.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
