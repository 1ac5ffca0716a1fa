package dev.bulwark.server;

import dev.bulwark.ExecutionContext;
import dev.bulwark.fanout.Adapter;
import java.io.IOException;
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

    HttpAdapter(String name, URI url, HttpClient client) {
        this.name = name;
        this.url = url;
        this.client = client;
    }

    @Override
    public String name() {
        return name;
    }

    URI url() {
        return url;
    }

    @Override
    public CompletionStage<String> execute(String query, ExecutionContext context) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .header("X-Request-Id", context.tag("request-id").orElse("-"))
                .GET().build();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        CompletableFuture<String> answer = exchange.thenCompose(response -> response.statusCode() >= 500
                ? CompletableFuture.failedFuture(new IOException("HTTP " + response.statusCode() + " from " + name))
                : CompletableFuture.completedFuture(response.body()));
        answer.whenComplete((value, error) -> {
            if (answer.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return answer;
    }
}
