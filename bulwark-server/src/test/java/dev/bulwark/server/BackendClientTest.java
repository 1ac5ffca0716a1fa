package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ExecutionContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backend client's connection pool, limits and answers, through an adapter against real loopback backends. */
class BackendClientTest {
    private final LoopbackBackend backend = new LoopbackBackend();
    private final Set<Integer> remotePorts = backend.remotePorts;
    private final AtomicInteger requests = backend.requests;
    private final CountDownLatch holdArrived = backend.holdArrived;
    private final CompletableFuture<String> release = backend.release;
    private BackendClient client = backend.use(BackendClient.start());

    @AfterEach
    void stop() {
        backend.close();
    }

    private HttpAdapter adapter(String method, URI url) {
        return backend.adapter(client, method, url);
    }

    private HttpAdapter adapter(String path) {
        return adapter("GET", backend.uri(path));
    }

    /** A client of one loop: the test's calls would take the loops in turn, reusing a connection only on one. */
    private void onOneLoop() {
        client = backend.use(BackendClient.start(1, BackendClient.MAX_CONNECTIONS_PER_BACKEND,
                BackendClient.MAX_QUEUED_PER_BACKEND));
    }

    private static CompletableFuture<String> send(HttpAdapter adapter, String query) {
        return adapter.execute(query, ExecutionContext.detached()).toCompletableFuture();
    }

    @Test
    void manyThreadsAtOnceEachGetTheirOwnAnswerThroughFewConnections() throws Exception {
        int connections = 16;
        client = backend.use(BackendClient.start(2, connections, BackendClient.MAX_QUEUED_PER_BACKEND));
        HttpAdapter echo = adapter("/echo");
        int threads = 8;
        int callsEach = 200;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> mismatches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                mismatches.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<CompletableFuture<String>> calls = new ArrayList<>();
                    for (int i = 0; i < callsEach; i++) {
                        calls.add(send(echo, thread + "/" + i));
                    }
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < callsEach; i++) {
                        String answer = calls.get(i).get(30, TimeUnit.SECONDS);
                        if (!answer.equals(thread + "/" + i)) {
                            wrong.add(thread + "/" + i + " got " + answer);
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> each : mismatches) {
                assertThat(each.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests.get()).isEqualTo(threads * callsEach);
        assertThat(remotePorts.size()).as("never more connections than the limit: the rest waited and reused them")
                .isLessThanOrEqualTo(connections);
    }

    @Test
    void aBackendNamedByHostNameIsLookedUpAndCalled() throws Exception {
        HttpAdapter byName = adapter("GET", URI.create("http://localhost:" + backend.port() + "/echo"));

        assertThat(send(byName, "named").get(10, TimeUnit.SECONDS)).isEqualTo("named");
    }

    @Test
    void aHostNameThatDoesNotResolveFailsTheCallNamingIt() {
        HttpAdapter nowhere = adapter("GET", URI.create("http://no-such-host.invalid:" + backend.port() + "/echo"));

        assertThatThrownBy(() -> send(nowhere, "q").get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(BackendException.class).hasMessageStartingWith("GET http://no-such-host.invalid:")
                .hasRootCauseInstanceOf(java.net.UnknownHostException.class);
    }

    @Test
    void anAnswerInManyPartsIsJoinedWholeAndDecodedAsUtf8() throws Exception {
        assertThat(send(adapter("/chunked"), "100000").get(10, TimeUnit.SECONDS)).isEqualTo("é".repeat(100_000));
        assertThat(send(adapter("/chunked"), "0").get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void anAnswerInPartsLargerThanTheLimitFailsTheCallAndTheNextCallWorks() throws Exception {
        int tooMany = HttpAdapter.MAX_RESPONSE_BYTES / 2 + 1; // two bytes each
        assertThatThrownBy(() -> send(adapter("/chunked"), Integer.toString(tooMany)).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(BackendException.class).hasMessageContaining("/chunked?q=" + tooMany + " failed")
                .rootCause().hasMessageContaining("larger than " + HttpAdapter.MAX_RESPONSE_BYTES);

        assertThat(send(adapter("/echo"), "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
    }

    /** A client of one loop and one connection, {@code line} calls allowed to wait; a call to /hold holds it. */
    private CompletableFuture<String> holdTheOnlyConnection(int line) throws InterruptedException {
        client = backend.use(BackendClient.start(1, 1, line));
        CompletableFuture<String> holding = send(adapter("/hold"), "a");
        assertThat(holdArrived.await(10, TimeUnit.SECONDS)).isTrue();
        return holding;
    }

    @Test
    void atTheConnectionLimitCallsWaitInLineAndBeyondTheQueueFailAtOnce() throws Exception {
        CompletableFuture<String> holding = holdTheOnlyConnection(1);
        CompletableFuture<String> waiting = send(adapter("/echo"), "b");
        CompletableFuture<String> refused = send(adapter("/echo"), "c");

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(BackendException.class)
                .rootCause().isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("1 calls already wait for a connection to http://127.0.0.1:" + backend.port());
        assertThat(waiting).isNotDone();

        release.complete("held");
        assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(remotePorts).as("the waiting call took the connection the first one gave back").hasSize(1);
    }

    @Test
    void aCallTheBackendNeverAnswersEndsAtTheBackstopAndItsConnectionIsNotReused() throws Exception {
        client = backend.use(BackendClient.start(1, 4, 16, 1));
        CompletableFuture<String> silent = send(adapter("/hold"), "a");
        assertThat(holdArrived.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> silent.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(BackendException.class)
                .rootCause().isInstanceOf(java.util.concurrent.TimeoutException.class)
                .hasMessage("no answer within 1 s");
        assertThat(send(adapter("/echo"), "b").get(10, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(remotePorts).as("the timed-out call's connection was closed, not reused").hasSize(2);
    }

    @Test
    void aCallCancelledWhileWaitingForAConnectionIsNeverSent() throws Exception {
        CompletableFuture<String> holding = holdTheOnlyConnection(4);
        CompletableFuture<String> waiting = send(adapter("/echo"), "b");

        assertThat(waiting.cancel(true)).isTrue();
        release.complete("held");
        holding.get(10, TimeUnit.SECONDS);
        assertThat(send(adapter("/echo"), "c").get(10, TimeUnit.SECONDS)).isEqualTo("c");

        assertThat(requests.get()).as("a and c, not b").isEqualTo(2);
    }

    @Test
    void aGetOnAKeptAliveConnectionTheBackendClosedIsSentAgainOnANewOne() throws Exception {
        onOneLoop();
        try (ClosingBackend closing = new ClosingBackend()) {
            HttpAdapter get = adapter("GET", closing.url());

            assertThat(send(get, "one").get(10, TimeUnit.SECONDS)).isEqualTo("answer 1");
            assertThat(send(get, "two").get(10, TimeUnit.SECONDS)).isEqualTo("answer 2");
            assertThat(closing.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aPostOnAKeptAliveConnectionTheBackendClosedFailsRatherThanBeingSentTwice() throws Exception {
        onOneLoop();
        try (ClosingBackend closing = new ClosingBackend()) {
            HttpAdapter post = adapter("POST", closing.url());

            assertThat(send(post, "one").get(10, TimeUnit.SECONDS)).isEqualTo("answer 1");
            assertThatThrownBy(() -> send(post, "two").get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(BackendException.class).hasMessageContaining("failed")
                    .rootCause().hasMessage("the backend closed the connection before answering");
            assertThat(closing.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void anHttpsBackendWhoseCertificateTheJvmDoesNotTrustFailsTheHandshake(@org.junit.jupiter.api.io.TempDir
                                                                             java.nio.file.Path dir) throws Exception {
        java.nio.file.Path keys = dir.resolve("backend.p12");
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", "secret",
                "-alias", "backend", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        org.eclipse.jetty.util.ssl.SslContextFactory.Server tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        tls.setKeyStorePath(keys.toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword("secret");
        org.eclipse.jetty.server.Server https = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(https, tls);
        connector.setHost("127.0.0.1");
        https.addConnector(connector);
        AtomicInteger answered = new AtomicInteger();
        https.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                answered.incrementAndGet();
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        https.start();
        try {
            HttpAdapter adapter = adapter("GET", URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/x"));

            assertThatThrownBy(() -> send(adapter, "q").get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(BackendException.class).hasMessageStartingWith("GET https://127.0.0.1:")
                    .satisfies(failure -> {
                        List<Class<?>> causes = new ArrayList<>();
                        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                            causes.add(cause.getClass());
                        }
                        assertThat(causes).contains(javax.net.ssl.SSLHandshakeException.class);
                    });
            assertThat(answered.get()).isZero();
        } finally {
            https.stop();
        }
    }

    /**
     * A backend that answers the first request of each connection with keep-alive, and closes the connection without
     * answering when a second request arrives on it: what a backend closing an idle connection looks like to a client
     * that reused it at that moment.
     */
    private static final class ClosingBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor = new Thread(this::serve, "closing-backend");

        ClosingBackend() throws java.io.IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    int number = connections.incrementAndGet();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    readRequest(in);
                    String body = "answer " + number;
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    readRequest(in); // the second request on this connection: closed unanswered
                } catch (java.io.IOException closed) {
                    // the server socket closed, or the client went away
                }
            }
        }

        private static void readRequest(BufferedReader in) throws java.io.IOException {
            int length = 0;
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }
}
