package dev.bulwark.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bulwark.ExecutionContext;
import dev.bulwark.fanout.Adapter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An adapter that asks an HTTP backend: {@code GET <url>?q=<query>}, carrying the request id as a header.
 * A 5xx answer is a failure; cancelling the stage aborts the exchange.
 */
final class HttpAdapter implements Adapter<String, String> {
    private final String name;
    private final URI url;
    private final HttpClient client;
    private final String method;
    private final java.util.Map<String, String> headers;
    private final String bodyTemplate;

    HttpAdapter(String name, URI url, HttpClient client, String method, java.util.Map<String, String> headers,
                String bodyTemplate) {
        this.name = name;
        this.url = url;
        this.client = client;
        this.method = method;
        this.headers = headers;
        this.bodyTemplate = bodyTemplate;
    }

    @Override
    public String name() {
        return name;
    }

    URI url() {
        return url;
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
        HttpRequest.Builder builder = method.equals("POST")
                ? HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(
                        bodyTemplate.replace("{{query}}", jsonEscaped(query)))).header("Content-Type", "application/json")
                : HttpRequest.newBuilder(URI.create(url + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET();
        headers.forEach(builder::header);
        HttpRequest request = builder.timeout(Duration.ofSeconds(30))
                .header("X-Request-Id", context.tag("request-id").orElse("-")).build();
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
            return response.body();
        });
        answer.whenComplete((value, error) -> {
            if (answer.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return answer;
    }
}
