package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's spot-instance terminator: asks the gateway which backend serves a failover group now and terminates
 * that demo backend ({@code POST <current>/terminate}), so the group's health check and the adapter's circuit see the
 * loss and the gateway fails over, as it would when a cloud provider reclaims a spot instance.
 */
final class DemoFailover {
    /** The demo's failover group, as {@code examples/demo.yaml} names it. */
    static final String GROUP = "spot-group";

    private final HttpClient client;
    private final URI gateway;

    DemoFailover(HttpClient client, URI gateway) {
        this.client = client;
        this.gateway = gateway;
    }

    /** Terminates the backend serving the group; completes with its address once the demo backend confirmed. */
    CompletableFuture<URI> terminateServing() {
        HttpRequest status = HttpRequest.newBuilder(gateway.resolve("/failover/" + GROUP)).timeout(Duration.ofSeconds(5)).build();
        return client.sendAsync(status, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /failover/" + GROUP + " answered " + response.statusCode() + ": " + response.body());
            }
            URI current = URI.create(current(response.body()));
            HttpRequest terminate = HttpRequest.newBuilder(URI.create(current + "/terminate")).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            return client.sendAsync(terminate, HttpResponse.BodyHandlers.ofString()).thenApply(done -> {
                if (done.statusCode() != 200) {
                    throw new IllegalStateException(current + "/terminate answered " + done.statusCode() + ": " + done.body());
                }
                return current;
            });
        });
    }

    private static String current(String statusBody) {
        try {
            JsonNode current = Views.mapper().readTree(statusBody).path("current");
            if (!current.isTextual()) {
                throw new IllegalStateException("GET /failover/" + GROUP + " named no current backend: " + statusBody);
            }
            return current.asText();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
