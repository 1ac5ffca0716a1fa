package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: stop accepting, finish what is in flight within the shutdown timeout, then stop. */
class GatewayShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();

    @AfterEach
    void stop() {
        backend.close();
    }

    private CompletableFuture<HttpResponse<String>> query(int port) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).isInstanceOf(SocketException.class);
    }

    private String yaml(String shutdownTimeout) {
        return "fault_tolerance:\n  retry:\n    enabled: false\n  execution:\n    timeout: 30s\n    shutdown_timeout: "
                + shutdownTimeout + "\nadapters:\n  - name: held\n    url: " + backend.url("/hold") + "\n";
    }

    @Test
    void closeLetsAQueryInFlightFinishAndRefusesNewConnections() throws Exception {
        Gateway gateway = Gateway.start(GatewayConfigLoader.parse("g.yaml", yaml("20s")), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
        int port = gateway.port();
        CompletableFuture<HttpResponse<String>> inFlight = query(port);
        backend.awaitHeld(1);
        CompletableFuture<Void> listenerClosed = listenerClosed(gateway);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        listenerClosed.get(5, TimeUnit.SECONDS);
        assertRefused(port);
        assertThat(closing).as("still draining").isNotDone();
        backend.releaseAll("finished during shutdown");

        closing.get(20, TimeUnit.SECONDS);
        HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("results").get(0).asText()).isEqualTo("finished during shutdown");
    }

    @Test
    void aQueryStillRunningAtTheShutdownTimeoutIsAnsweredWithItsAdapterCancelled() throws Exception {
        Gateway gateway = Gateway.start(GatewayConfigLoader.parse("g.yaml", yaml("200ms")), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
        CompletableFuture<HttpResponse<String>> inFlight = query(gateway.port());
        backend.awaitHeld(1);

        gateway.close();

        HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        JsonNode held = JSON.readTree(response.body()).get("adapters").get(0);
        assertThat(held.get("status").asText()).isEqualTo("cancelled");
    }

    /**
     * Completes when the gateway's listening socket closes, the first thing its shutdown does: an accept waiting on that
     * socket ends with {@link ClosedChannelException} (or its subclass AsynchronousCloseException) at that moment.
     */
    private static CompletableFuture<Void> listenerClosed(Gateway gateway) {
        ServerSocketChannel listener = Arrays.stream(gateway.jettyServer().getConnectors())
                .filter(connector -> connector instanceof ServerConnector open && open.getLocalPort() == gateway.port())
                .map(connector -> (ServerSocketChannel) connector.getTransport())
                .findFirst().orElseThrow();
        assertThat(listener.isBlocking()).as("the connector accepts on a blocking channel").isTrue();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread watcher = new Thread(() -> {
            try (SocketChannel unexpected = listener.accept()) {
                closed.completeExceptionally(new AssertionError("a connection reached the closing listener: " + unexpected));
            } catch (ClosedChannelException nowClosed) {
                closed.complete(null);
            } catch (IOException | RuntimeException failed) {
                closed.completeExceptionally(failed);
            }
        }, "listener-closed-watcher");
        watcher.setDaemon(true);
        watcher.start();
        return closed;
    }

    @Test
    void sigtermDrainsTheQueriesInFlightBeforeTheProcessEnds(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml("20s"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java,
                "-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty.server.AbstractConnector=trace",
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), config.toString())
                .redirectErrorStream(true);
        builder.environment().put("BULWARK_PORT", "0");
        builder.environment().put("BULWARK_DEMO_PORT", "0");
        Process gateway = builder.start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            }, "gateway-output");
            reader.setDaemon(true);
            reader.start();
            Matcher started = awaitLine(lines, Pattern.compile(".* Bulwark gateway on http://127\\.0\\.0\\.1:(\\d+) .*"));
            int port = Integer.parseInt(started.group(1));
            CompletableFuture<HttpResponse<String>> inFlight = query(port);
            backend.awaitHeld(1);

            // SIGTERM through the handle: Process.destroy() would also close our end of the child's output
            gateway.toHandle().destroy();
            awaitLine(lines, Pattern.compile(".* shutting down: draining 1 queries in flight"));
            // Jetty's acceptor logs its accept failing on the closed listening socket (at trace, switched on for the
            // child): from then on connections are refused
            awaitLine(lines, Pattern.compile(".* TRACE AbstractConnector - IGNORED"));
            awaitLine(lines, Pattern.compile("java\\.nio\\.channels\\.(AsynchronousCloseException|ClosedChannelException)"));
            assertRefused(port);
            backend.releaseAll("answered after SIGTERM");

            HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("results").get(0).asText()).isEqualTo("answered after SIGTERM");
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the process ends after draining").isTrue();
            awaitLine(lines, Pattern.compile(".* stopped"));
        } finally {
            gateway.destroyForcibly();
        }
    }

    private static Matcher awaitLine(BlockingQueue<String> lines, Pattern pattern) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            Matcher matcher = pattern.matcher(line);
            if (matcher.matches()) {
                return matcher;
            }
        }
        throw new AssertionError("the gateway never printed a line matching " + pattern + "; it printed:\n" + seen);
    }
}
