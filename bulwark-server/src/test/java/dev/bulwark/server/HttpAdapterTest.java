package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ExecutionContext;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter's HTTP exchange on the gateway's backend client, against a real loopback backend. */
class HttpAdapterTest {
    private final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    private final CountDownLatch holdArrived = new CountDownLatch(1);
    private final Javalin backend = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.routes.before(ctx -> remotePorts.add(ctx.req().getRemotePort()));
        config.routes.get("/ok", ctx -> ctx.result("answer to '" + ctx.queryParam("q") + "' id=" + ctx.header("X-Request-Id")));
        config.routes.get("/huge", ctx -> ctx.result("x".repeat(HttpAdapter.MAX_RESPONSE_BYTES + 1)));
        config.routes.get("/broken", ctx -> ctx.status(503).result("  down\n for   maintenance "));
        config.routes.get("/headers", ctx -> ctx.result(String.join("|", java.util.Collections.list(ctx.req().getHeaders("Host")))
                + " " + String.join("|", java.util.Collections.list(ctx.req().getHeaders("User-Agent"))) + " " + ctx.queryString()));
        config.routes.post("/echo", ctx -> ctx.result(ctx.header("X-Api-Key") + " " + ctx.contentType() + " " + ctx.body()));
        config.routes.get("/hold", ctx -> {
            CompletableFuture<String> never = new CompletableFuture<>();
            holdArrived.countDown();
            ctx.future(() -> never.thenAccept(ctx::result));
        });
    }).start("127.0.0.1", 0);
    private final BackendClient client = BackendClient.start();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        client.stop();
        backend.stop();
    }

    private HttpAdapter adapter(String path) {
        return adapter("GET", path, Map.of(), "");
    }

    private HttpAdapter adapter(String method, String path, Map<String, String> headers, String template) {
        return new HttpAdapter("backend", URI.create("http://127.0.0.1:" + backend.port() + path), client, method, headers,
                template, null, null, null, meters);
    }

    private static String call(HttpAdapter adapter, String query) throws Exception {
        return adapter.execute(query, ExecutionContext.detached().with(HttpAdapter.REQUEST_ID, "r-1"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private long timed(String outcome) {
        var timer = meters.find("bulwark.adapter.request").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void getCarriesTheQueryAndTheRequestIdAndTimesTheSuccess() throws Exception {
        assertThat(call(adapter("/ok"), "a b&c")).isEqualTo("answer to 'a b&c' id=r-1");
        assertThat(timed("success")).isEqualTo(1);
    }

    @Test
    void postSendsTheTemplateWithTheQueryEscapedAndTheConfiguredHeaders() throws Exception {
        HttpAdapter post = adapter("POST", "/echo", Map.of("X-Api-Key", "k1"), "{\"q\": \"{{query}}\"}");

        assertThat(call(post, "say \"hi\"")).isEqualTo("k1 application/json {\"q\": \"say \\\"hi\\\"\"}");
    }

    @Test
    void theHostHeaderNamesTheBackendAndAConfiguredHeaderReplacesTheClientsOwnInsteadOfDoublingIt() throws Exception {
        String authority = "127.0.0.1:" + backend.port();

        assertThat(call(adapter("/headers"), "x")).isEqualTo(authority + " " + HttpAdapter.USER_AGENT + " q=x");
        assertThat(call(adapter("GET", "/headers", Map.of("User-Agent", "bulwark-test", "Host", "api.example"), ""), "x"))
                .isEqualTo("api.example bulwark-test q=x");
    }

    @Test
    void aQueryIsAddedToTheQueryStringTheAdaptersUrlAlreadyHas() throws Exception {
        assertThat(call(adapter("/headers?key=k%201"), "a b")).endsWith(" key=k%201&q=a+b");
    }

    @Test
    void sequentialCallsFromOneThreadReuseOneConnection() throws Exception {
        HttpAdapter ok = adapter("/ok");
        for (int i = 0; i < 5; i++) {
            call(ok, "q" + i);
        }

        assertThat(remotePorts).hasSize(1);
    }

    @Test
    void a5xxIsABackendExceptionNamingTheRequestStatusAndBody() {
        assertThatThrownBy(() -> call(adapter("/broken"), "q")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BackendException.class)
                .hasMessage("GET http://127.0.0.1:" + backend.port() + "/broken?q=q: HTTP 503: down for maintenance");
        assertThat(timed("failure")).isEqualTo(1);
    }

    @Test
    void anAnswerLargerThanTheLimitFailsTheCall() {
        assertThatThrownBy(() -> call(adapter("/huge"), "q")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BackendException.class).hasMessageContaining("/huge?q=q failed");
    }

    @Test
    void aRefusedConnectionIsABackendExceptionWithItsCause() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpAdapter gone = new HttpAdapter("gone", URI.create("http://127.0.0.1:" + closedPort + "/x"), client, "GET",
                Map.of(), "", null, null, null, meters);

        assertThatThrownBy(() -> call(gone, "q")).cause().isInstanceOf(BackendException.class)
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void cancellingTheCallAbortsTheExchangeAndTimesItAsCancelled() throws Exception {
        CompletableFuture<String> call = adapter("/hold").execute("q", ExecutionContext.detached()).toCompletableFuture();
        assertThat(holdArrived.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(call.cancel(true)).isTrue();

        assertThat(call).isCancelled();
        assertThat(timed("cancelled")).isEqualTo(1);
        assertThat(timed("failure")).as("the abort that follows is not a second outcome").isZero();
        // the aborted exchange's connection is closed, not returned to the pool: the next call opens another
        call(adapter("/ok"), "after");
        assertThat(remotePorts).hasSize(2);
    }
}
