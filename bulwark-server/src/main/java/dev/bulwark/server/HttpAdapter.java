package dev.bulwark.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bulwark.ExecutionContext;
import dev.bulwark.fanout.Adapter;
import dev.bulwark.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.RetainingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * An adapter that asks an HTTP backend: {@code GET <url>?q=<query>} (or a POST of its body template), carrying the
 * request id as a header, through the gateway's {@link BackendClient}. A 5xx answer is a failure, and so is an
 * answer larger than {@link #MAX_RESPONSE_BYTES} or one that takes longer than {@link #BACKSTOP_TIMEOUT_SECONDS}
 * (the adapter's timeout policy normally ends it far earlier); each failure is a {@link BackendException} naming the
 * request. Cancelling the stage aborts the exchange. Each exchange is timed into
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
    /** Every exchange ends within this, even with no timeout policy in front of it. */
    static final long BACKSTOP_TIMEOUT_SECONDS = 30;
    private static final Clock CLOCK = Clock.system();
    private final String name;
    private final java.util.function.Supplier<URI> url;
    private final HttpClient client;
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

    HttpAdapter(String name, URI url, HttpClient client, String method, java.util.Map<String, String> headers,
                String bodyTemplate, @org.jspecify.annotations.Nullable URI degradedUrl,
                @org.jspecify.annotations.Nullable String degradedTemplate,
                @org.jspecify.annotations.Nullable URI firstAlternative, MeterRegistry meters) {
        this(name, () -> url, client, method, headers, bodyTemplate, degradedUrl, degradedTemplate, firstAlternative,
                meters);
    }

    /** As above, calling whatever {@code url} names at each call (a failover group's current backend). */
    HttpAdapter(String name, java.util.function.Supplier<URI> url, HttpClient client, String method,
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
        // the parsed URI and a query parameter: no URI is parsed or built per exchange (a Host header of our own
        // spares Jetty building the request's URI to find it)
        Request request = client.newRequest(endpoint).method(post ? HttpMethod.POST : HttpMethod.GET)
                .timeout(BACKSTOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (post) {
            request.body(new StringRequestContent("application/json",
                    template.replace("{{query}}", jsonEscaped(query)), StandardCharsets.UTF_8));
        } else {
            request.param("q", query);
        }
        String requestId = context.getOrDefault(REQUEST_ID, "-");
        String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        request.headers(fields -> {
            fields.put(HttpHeader.HOST, host);
            headers.forEach(fields::put); // a configured header replaces Jetty's own (Host, User-Agent), never doubles it
            fields.put(RequestIds.HEADER, requestId);
        });
        Call call = new Call(request, endpoint, path,
                switched != null ? servedSwitched : degraded ? servedDegraded : servedPrimary, context);
        request.send(call.listener());
        return call;
    }

    /**
     * One exchange and its answer, in one future: the response listener completes it, cancelling it aborts the
     * exchange (a timeout, the fan-out's deadline, a first success elsewhere). Whichever of the answer and the
     * cancellation comes first decides, and times the outcome before anyone waiting on the future can see it.
     */
    private final class Call extends CompletableFuture<String> {
        private final Request request;
        private final URI endpoint;
        private final String path;
        private final io.micrometer.core.instrument.Counter served;
        private final ExecutionContext context;
        private final long start = CLOCK.nanoTime();
        private final AtomicBoolean decided = new AtomicBoolean();

        Call(Request request, URI endpoint, String path, io.micrometer.core.instrument.Counter served,
             ExecutionContext context) {
            this.request = request;
            this.endpoint = endpoint;
            this.path = path;
            this.served = served;
            this.context = context;
        }

        Response.CompleteListener listener() {
            return new RetainingResponseListener(MAX_RESPONSE_BYTES) {
                @Override
                public void onComplete(Result result) {
                    answered(result, result.isFailed() ? "" : getContentAsString());
                }
            };
        }

        private void answered(Result result, String body) {
            if (!decided.compareAndSet(false, true)) {
                return; // cancelled first: this is the abort's echo
            }
            if (result.isFailed()) {
                record(failed);
                completeExceptionally(new BackendException(target() + " failed", result.getFailure()));
                return;
            }
            int status = result.getResponse().getStatus();
            if (status >= 500) {
                record(failed);
                completeExceptionally(new BackendException(target() + ": HTTP " + status + snippet(body)));
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
            if (!decided.compareAndSet(false, true)) {
                return isCancelled();
            }
            record(cancelled);
            boolean won = super.cancel(mayInterruptIfRunning);
            request.abort(new CancellationException(target() + " was cancelled"));
            return won;
        }

        /** The exchange as errors name it: {@code GET http://host:port/path?q=...}. */
        private String target() {
            String query = request.getQuery();
            return request.getMethod() + " " + endpoint.getScheme() + "://" + endpoint.getRawAuthority()
                    + request.getPath() + (query == null ? "" : "?" + query);
        }

        private void record(Timer outcome) {
            outcome.record(CLOCK.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
