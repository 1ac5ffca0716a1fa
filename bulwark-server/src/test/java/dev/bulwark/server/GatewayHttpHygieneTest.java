package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP hygiene over real sockets: JSON for every error, Jetty's own included; 405, 415; slow headers cut off. */
class GatewayHttpHygieneTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ScriptedBackend backend = new ScriptedBackend();
    private Gateway gateway;

    @BeforeEach
    void start() {
        String yaml = "server:\n  header_read_timeout: 300ms\n  accept_queue_size: 77\n"
                + "fault_tolerance:\n  retry:\n    enabled: false\n  execution:\n    shutdown_timeout: 20s\nadapters:\n"
                + "  - name: ok\n    url: " + backend.url("/ok") + "\n  - name: held\n    url: " + backend.url("/hold") + "\n";
        gateway = Gateway.start(GatewayConfigLoader.parse("hygiene.yaml", yaml), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
    }

    @AfterEach
    void stop() {
        backend.releaseAll("late");
        gateway.close();
        backend.close();
    }

    private RawHttp.Response exchange(String raw) throws IOException {
        try (RawHttp http = new RawHttp(gateway.port())) {
            http.send(raw);
            return http.read();
        }
    }

    private RawHttp.Response postQuery(String contentType, byte[] body) throws IOException {
        try (RawHttp http = new RawHttp(gateway.port())) {
            http.send("POST /query HTTP/1.1\r\nHost: t\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n");
            http.send(body);
            return http.read();
        }
    }

    private static JsonNode assertJsonError(RawHttp.Response response, int status) throws IOException {
        assertThat(response.status()).as(response.head() + response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("field").asText()).isNotBlank();
        return body;
    }

    @Test
    void jettysOwnErrorsAreJson() throws Exception {
        assertJsonError(exchange("GET /health/%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400);
        assertJsonError(exchange("GET /health/system HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431);
        assertJsonError(exchange("GET /" + "u".repeat(20_000) + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 414);
        assertJsonError(exchange("GARBAGE\r\n\r\n"), 400);
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        RawHttp.Response get = exchange("GET /query HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        RawHttp.Response delete = exchange("DELETE /health/system HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");

        assertThat(assertJsonError(get, 405).get("field").asText()).isEqualTo("method");
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertJsonError(delete, 405);
        assertThat(delete.header("Allow")).isEqualTo("GET");
    }

    @Test
    void aQueryThatIsNotJsonIs415AndMalformedJsonIs400() throws Exception {
        assertThat(assertJsonError(postQuery("text/plain", "{\"query\": \"q\"}".getBytes(StandardCharsets.UTF_8)), 415)
                .get("field").asText()).isEqualTo("Content-Type");
        assertJsonError(postQuery("application/json", "{\"query\": \"q\"}]".getBytes(StandardCharsets.UTF_8)), 400);
        assertJsonError(postQuery("application/json", "{\"query\": \"q\", \"query\": \"r\"}".getBytes(StandardCharsets.UTF_8)), 400);
        byte[] invalidUtf8 = {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xFF, '"', '}'};
        assertThat(assertJsonError(postQuery("application/json", invalidUtf8), 400).get("error").asText())
                .isEqualTo("the body is not valid UTF-8 (at byte 10)");
        assertThat(backend.okCalls()).isZero();
        assertThat(postQuery("application/json; charset=utf-8", "{\"query\": \"q\", \"adapters\": [\"ok\"]}"
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }

    @Test
    void aClientSendingItsHeadersSlowlyIsCutOff() throws Exception {
        try (RawHttp http = new RawHttp(gateway.port())) {
            http.socket().setSoTimeout(5_000);
            InputStream in = http.socket().getInputStream();
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read();
                } catch (SocketTimeoutException stillOpen) {
                    return -2;
                } catch (IOException reset) {
                    return -1;
                }
            });
            byte[] request = "GET /health/system HTTP/1.1\r\nHost: t\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            // one byte every 50 ms: every byte would reset an idle timeout, the header deadline (300 ms) still ends it
            for (int i = 0; i < 100 && !closed.isDone(); i++) {
                try {
                    http.send(new byte[] {i < request.length ? request[i] : (byte) 'x'});
                } catch (IOException refused) {
                    break;
                }
                new CompletableFuture<Void>().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
            }

            assertThat(closed.get(10, TimeUnit.SECONDS)).as("-1: closed by the server; -2: still open after 5 s").isEqualTo(-1);
        }
        try (RawHttp prompt = new RawHttp(gateway.port())) {
            prompt.send("GET /health/system HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(prompt.read().status()).as("a prompt client is unaffected").isEqualTo(200);
        }
    }

    @Test
    void headersSplitAcrossReadsButCompleteInTimeAreAnsweredAndTheirDeadlineClosesNothingLater() throws Exception {
        try (RawHttp http = new RawHttp(gateway.port())) {
            // the rest of the headers arrives in a later read, so this request's deadline is armed, then disarmed
            http.send("GET /health/system HTTP/1.1\r\nHost: t\r\n");
            pause(100);
            http.send("X-Late: yes\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(200);

            pause(500); // past the first request's 300 ms deadline: a deadline left armed would have closed us
            http.send("GET /health/system HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(http.read().status()).as("the kept-alive connection still serves").isEqualTo(200);
        }
    }

    private static void pause(long millis) {
        new CompletableFuture<Void>().completeOnTimeout(null, millis, TimeUnit.MILLISECONDS).join();
    }

    @Test
    void theAcceptBacklogIsTheConfiguredOne() {
        ServerConnector connector = (ServerConnector) gateway.jettyServer().getConnectors()[0];

        assertThat(connector.getAcceptQueueSize()).isEqualTo(77);
        assertThat(connector.getIdleTimeout()).isEqualTo(30_000);
    }

    @Test
    void noConnectionKeepsAHeaderFieldCacheAndManyHeadersStillParse() throws Exception {
        ServerConnector connector = (ServerConnector) gateway.jettyServer().getConnectors()[0];
        org.eclipse.jetty.server.HttpConnectionFactory http =
                connector.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);

        assertThat(http.getHttpConfiguration().getHeaderCacheSize())
                .as("a connection's parser cache is about 96 bytes per character; Jetty's 1,024 made 96 KiB a connection")
                .isZero();
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            headers.append("X-Custom-").append(i).append(": value-").append(i).append("\r\n");
        }
        byte[] body = "{\"query\":\"many headers\",\"adapters\":[\"ok\"]}".getBytes(StandardCharsets.UTF_8);
        try (RawHttp raw = new RawHttp(gateway.port())) {
            for (int round = 0; round < 2; round++) { // kept alive: the second request reuses the connection's parser
                raw.send("POST /query HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" + headers
                        + "Content-Length: " + body.length + "\r\n\r\n");
                raw.send(body);
                RawHttp.Response answer = raw.read();
                assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("ok answer to 'many headers'");
            }
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedCleanlyAtShutdown() throws Exception {
        try (RawHttp idle = new RawHttp(gateway.port()); RawHttp busy = new RawHttp(gateway.port())) {
            idle.send("GET /health/system HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);
            byte[] held = "{\"query\": \"q\", \"adapters\": [\"held\"]}".getBytes(StandardCharsets.UTF_8);
            busy.send("POST /query HTTP/1.1\r\nHost: t\r\nContent-Length: " + held.length + "\r\n\r\n");
            busy.send(held);
            backend.awaitHeld(1);

            int port = gateway.port();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
            // the graceful stop closes idle connections at once, while the query in flight goes on: the idle one
            // ends without an answer (a blocking read, bounded by the socket's timeout)
            assertThat(idle.read()).as("the idle connection is closed, never served").isNull();
            backend.releaseAll("finished");

            assertThat(busy.read().status()).as("the query in flight is answered").isEqualTo(200);
            closing.get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                    .as("the listener is closed").isInstanceOf(IOException.class);
        }
    }
}
