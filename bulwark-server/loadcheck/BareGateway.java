import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The load check's yardstick: a minimal fan-out gateway on the same stack as Bulwark's (Javalin, Jackson, one of the
 * two outbound clients), with no policies. {@code POST /query} with {@code {"query": "..."}} calls
 * {@code GET <backend>?q=<query>} on every backend with {@code CompletableFuture.allOf} and answers the JSON shape
 * Bulwark's gateway answers (request id, strategy, results, one entry per adapter). Not part of the product: the
 * load check compiles it against the gateway jar. With {@code -Dbare.server=jetty} it serves the same route on
 * Jetty's core handler API instead of Javalin (no servlet layer, no Javalin tasks): what a gateway would gain by
 * leaving Javalin for its query route.
 *
 * <pre>java [-Dbare.server=jetty] -cp bulwark-gateway.jar:DIR BareGateway PORT jdk|jetty URL...</pre>
 */
public final class BareGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BareGateway() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<URI> backends = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            backends.add(URI.create(args[i]));
        }
        BiFunction<URI, String, CompletableFuture<String>> client = switch (args[1]) {
            case "jdk" -> jdk();
            case "jetty" -> jetty();
            case "netty" -> BareNettyGateway.client();
            default -> throw new IllegalArgumentException("client must be jdk or jetty, was " + args[1]);
        };
        if ("jetty".equals(System.getProperty("bare.server"))) {
            rawJetty(port, backends, client);
            return;
        }
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/query", ctx -> query(ctx, backends, client));
        }).start("127.0.0.1", port);
    }

    /** The same gateway on Jetty's core handler API, without Javalin and the servlet layer. */
    private static void rawJetty(int port, List<URI> backends, BiFunction<URI, String, CompletableFuture<String>> client)
            throws Exception {
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                if (!"POST".equals(request.getMethod())
                        || !"/query".equals(org.eclipse.jetty.server.Request.getPathInContext(request))) {
                    return false;
                }
                org.eclipse.jetty.io.Content.Source.asByteArrayAsync(request, 1 << 20).thenCompose(bytes -> {
                    try {
                        return answer(JSON.readTree(bytes).path("query").asText(), backends, client);
                    } catch (java.io.IOException bad) {
                        return CompletableFuture.failedFuture(bad);
                    }
                }).whenComplete((answer, error) -> {
                    if (error != null) {
                        org.eclipse.jetty.server.Response.writeError(request, response, callback, error);
                        return;
                    }
                    response.setStatus(200);
                    response.getHeaders().put("X-Request-Id", answer.requestId());
                    response.getHeaders().put("Content-Type", "application/json");
                    response.write(true, java.nio.ByteBuffer.wrap(answer.body()), callback);
                });
                return true;
            }
        });
        server.start();
    }

    private record Answer(String requestId, byte[] body) {
    }

    private static CompletableFuture<Answer> answer(String query, List<URI> backends,
                                                    BiFunction<URI, String, CompletableFuture<String>> client) {
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (URI backend : backends) {
            calls.add(client.apply(URI.create(backend + "?q=" + q), requestId));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((done, error) -> {
            try {
                return new Answer(requestId, JSON.writeValueAsBytes(answerOf(requestId, start, calls)));
            } catch (Exception unserializable) {
                throw new IllegalStateException(unserializable);
            }
        });
    }

    private static void query(Context ctx, List<URI> backends, BiFunction<URI, String, CompletableFuture<String>> client)
            throws Exception {
        JsonNode body = JSON.readTree(ctx.bodyAsBytes());
        String query = body.path("query").asText();
        String requestId = UUID.randomUUID().toString();
        ctx.header("X-Request-Id", requestId);
        long start = System.nanoTime();
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (URI backend : backends) {
            calls.add(client.apply(URI.create(backend + "?q=" + q), requestId));
        }
        ctx.future(() -> CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((done, error) -> {
            try {
                ctx.status(200).contentType("application/json").result(JSON.writeValueAsString(
                        answerOf(requestId, start, calls)));
            } catch (Exception unserializable) {
                throw new IllegalStateException(unserializable);
            }
            return null;
        }));
    }

    /** The answer Bulwark's gateway gives, from the finished calls. */
    static Map<String, Object> answerOf(String requestId, long start, List<CompletableFuture<String>> calls) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", requestId);
        out.put("strategy", "all");
        out.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        List<String> results = new ArrayList<>();
        List<Map<String, Object>> adapters = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            CompletableFuture<String> call = calls.get(i);
            String value = call.isCompletedExceptionally() ? null : call.join();
            if (value != null) {
                results.add(value);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", Character.toString('a' + i));
            one.put("status", value == null ? "failed" : "succeeded");
            one.put("value", value);
            one.put("served_by", value == null ? null : "primary");
            one.put("error", null);
            one.put("duration_ms", 0);
            one.put("circuit_state", "CLOSED");
            adapters.add(one);
        }
        out.put("results", results);
        out.put("partial", results.size() < calls.size());
        out.put("adapters", adapters);
        out.put("mode", "NORMAL");
        out.put("fallback", "none");
        return out;
    }

    /** The JDK client as Bulwark's gateway has tuned it: HTTP/1.1, its own work on its selector thread. */
    private static BiFunction<URI, String, CompletableFuture<String>> jdk() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .executor(Runnable::run).build();
        return (uri, requestId) -> client.sendAsync(java.net.http.HttpRequest.newBuilder(uri).GET()
                        .timeout(Duration.ofSeconds(30)).header("X-Request-Id", requestId).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                    if (response.statusCode() >= 500) {
                        throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    return response.body();
                });
    }

    /** Jetty 12's client with its defaults, but enough connections per backend for the load. */
    private static BiFunction<URI, String, CompletableFuture<String>> jetty() throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setConnectTimeout(2_000);
        client.setMaxConnectionsPerDestination(Integer.getInteger("bare.connections", 256));
        client.start();
        return (uri, requestId) -> new org.eclipse.jetty.client.CompletableResponseListener(client.newRequest(uri)
                .headers(headers -> headers.put("X-Request-Id", requestId)).timeout(30, TimeUnit.SECONDS), 1 << 20)
                .send().thenApply(response -> {
                    if (response.getStatus() >= 500) {
                        throw new IllegalStateException("HTTP " + response.getStatus());
                    }
                    return response.getContentAsString();
                });
    }
}
