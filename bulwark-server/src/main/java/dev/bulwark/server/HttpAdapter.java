package dev.bulwark.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bulwark.ExecutionContext;
import dev.bulwark.fanout.Adapter;
import dev.bulwark.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An adapter that asks an HTTP backend: {@code GET <url>?q=<query>}, carrying the request id as a header.
 * A 5xx answer is a failure; cancelling the stage aborts the exchange. Each exchange is timed into
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
        HttpRequest.Builder builder = method.equals("POST")
                ? HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(
                        template.replace("{{query}}", jsonEscaped(query)))).header("Content-Type", "application/json")
                : HttpRequest.newBuilder(URI.create(endpoint + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET();
        headers.forEach(builder::header);
        HttpRequest request = builder.timeout(Duration.ofSeconds(30))
                .header("X-Request-Id", context.getOrDefault(REQUEST_ID, "-")).build();
        long start = CLOCK.nanoTime();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        String target = request.method() + " " + request.uri();
        CompletableFuture<String> answer = exchange.handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof java.util.concurrent.CancellationException cancelled) {
                    throw cancelled;
                }
                throw new java.util.concurrent.CompletionException(new BackendException(target + " failed", cause));
            }
            if (response.statusCode() >= 500) {
                throw new java.util.concurrent.CompletionException(new BackendException(target + ": HTTP "
                        + response.statusCode() + snippet(response.body())));
            }
            context.get(SERVED_BY).ifPresent(servedBy -> servedBy.record(name, path));
            (switched != null ? servedSwitched : degraded ? servedDegraded : servedPrimary).increment();
            return response.body();
        });
        answer.whenComplete((value, error) -> {
            if (answer.isCancelled()) {
                exchange.cancel(true);
            }
            Timer outcome = error == null ? succeeded : answer.isCancelled() ? cancelled : failed;
            outcome.record(CLOCK.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        return answer;
    }
}
