package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /dashboard/stream}: a new stream gets the history and a snapshot at once, then a sample and a snapshot
 * each tick; streams whose client went away are closed (the count of open streams returns to 0, no thread or
 * connection kept); at most {@value DashboardStream#MAX_STREAMS} are open at once, a 429 JSON answer beyond.
 */
class DashboardStreamTest {
    private final SwitchableBackends backends = new SwitchableBackends();
    private final ManualClock clock = new ManualClock();
    private final List<Socket> sockets = new ArrayList<>();
    private Gateway gateway;

    @BeforeEach
    void start() {
        gateway = Gateway.start(GatewayConfigLoader.parse("stream.yaml", "fault_tolerance:\n  health_monitoring:\n"
                + "    enabled: false\nadapters:\n  - name: alpha\n    url: " + backends.url("alpha") + "\n"), 0, "secret", clock);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        gateway.close();
        backends.close();
    }

    /** Opens a stream and reads up to its first snapshot; returns the reader positioned after it. */
    private BufferedReader open() throws Exception {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /dashboard/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        readUntil(in, "event: history");
        readUntil(in, "event: snapshot");
        return in;
    }

    private static String readUntil(BufferedReader in, String wanted) throws Exception {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals(wanted)) {
                return in.readLine();
            }
        }
        throw new AssertionError("the stream ended before '" + wanted + "'");
    }

    @Test
    void aStreamGetsHistoryAndSnapshotAtOnceThenASampleEachTick() throws Exception {
        BufferedReader in = open();
        clock.advance(Dashboard.TICK);
        String sample = readUntil(in, "event: sample");
        assertThat(sample).startsWith("data: ");
        var alpha = new ObjectMapper().readTree(sample.substring("data: ".length())).path("samples").path("alpha");
        assertThat(alpha.get(1).asText()).isEqualTo("CLOSED");
        String snapshot = readUntil(in, "event: snapshot");
        var view = new ObjectMapper().readTree(snapshot.substring("data: ".length()));
        assertThat(view.path("mode").path("mode").asText()).isEqualTo("NORMAL");
        assertThat(view.path("adapters").get(0).path("name").asText()).isEqualTo("alpha");
        assertThat(view.path("streams").asInt()).isEqualTo(1);
    }

    @Test
    void streamsOfClientsThatWentAwayAreClosedAndCounted() throws Exception {
        for (int i = 0; i < 8; i++) {
            open();
        }
        assertThat(gateway.dashboard().stream().openStreams()).isEqualTo(8);
        for (Socket socket : sockets) {
            socket.setSoLinger(true, 0); // a reset: the gateway's next write to it fails
            socket.close();
        }
        clock.advance(Dashboard.TICK);
        assertThat(gateway.dashboard().stream().awaitOpenAtMost(0, Duration.ofSeconds(5))).as("open streams: %s",
                gateway.dashboard().stream().openStreams()).isTrue();
        // one writer thread whatever the number of streams, and no thread per stream
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .filteredOn(name -> name.equals(gateway.dashboard().stream().senderName())).hasSize(1);
    }

    @Test
    void aClientThatDoesNotAcceptAnEventStreamGets406AndTakesNoSlot() throws Exception {
        for (int i = 0; i < DashboardStream.MAX_STREAMS + 1; i++) {
            try (RawHttp plain = new RawHttp(gateway.port())) {
                plain.send("GET /dashboard/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawHttp.Response refused = plain.read();
                assertThat(refused.status()).isEqualTo(406);
                assertThat(new ObjectMapper().readTree(refused.body()).path("field").asText()).isEqualTo("Accept");
            }
        }
        assertThat(gateway.dashboard().stream().openStreams()).isZero();
        open();
        assertThat(gateway.dashboard().stream().openStreams()).isEqualTo(1);
    }

    @Test
    void atMost32StreamsAreOpenAtOnce() throws Exception {
        for (int i = 0; i < DashboardStream.MAX_STREAMS; i++) {
            open();
        }
        try (RawHttp extra = new RawHttp(gateway.port())) {
            extra.send("GET /dashboard/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
            RawHttp.Response refused = extra.read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(new ObjectMapper().readTree(refused.body()).path("field").asText()).isEqualTo("stream");
        }
        assertThat(gateway.dashboard().stream().openStreams()).isEqualTo(DashboardStream.MAX_STREAMS);
    }
}
