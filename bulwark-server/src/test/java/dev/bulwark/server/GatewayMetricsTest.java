package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} of a running gateway, over HTTP: the meters exist, names are in base units, promtool accepts it. */
class GatewayMetricsTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScriptedBackend backend = new ScriptedBackend();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrapeAfterTraffic() throws Exception {
        gateway = Gateway.start(GatewayConfigLoader.parse("metrics.yaml", String.format(java.util.Locale.ROOT, """
                fault_tolerance:
                  retry:
                    enabled: false
                adapters:
                  - name: ok
                    url: %s
                  - name: broken
                    url: %s
                  - name: hedged
                    url: %s
                    fault_tolerance:
                      hedge:
                        delay: 1ms
                """, backend.url("/ok"), backend.url("/fail"), backend.url("/ok"))), 0, "secret",
                ModeOrchestrator.builder("gateway").evaluationInterval(Duration.ofHours(1)).build());
        String base = "http://127.0.0.1:" + gateway.port();
        for (int i = 0; i < 3; i++) {
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/query"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"q" + i + "\"}"))).statusCode()).isEqualTo(200);
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/health/adapters/ok/stats"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/no/such/route"))).statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(base + "/metrics")));
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    @Test
    void metricsCoverAdaptersHttpAndTheJvmInBaseUnits() throws Exception {
        String scrape = scrapeAfterTraffic();

        assertThat(scrape).contains(
                "bulwark_adapter_request_seconds_bucket{adapter=\"ok\",outcome=\"success\",le=\"0.005\"}",
                "bulwark_adapter_request_seconds_count{adapter=\"broken\",outcome=\"failure\"} 3",
                "http_server_requests_seconds_bucket{method=\"POST\",route=\"/query\",status=\"200\",le=\"30.0\"} 3",
                "http_server_requests_seconds_count{method=\"GET\",route=\"/health/adapters/{name}/stats\",status=\"200\"} 1",
                "http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
                "bulwark_circuit_breaker_latency_seconds{name=\"ok\"}",
                "bulwark_circuit_breaker_failures_total{name=\"broken\"} 3.0",
                "bulwark_hedge_backups_total{name=\"hedged\"}",
                "bulwark_hedge_wins_total{name=\"hedged\"}",
                "bulwark_hedge_delay_seconds{name=\"hedged\"} 0.001",
                "jvm_memory_used_bytes{", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files",
                "jetty_threads_current", "bulwark_access_log_dropped_lines_total 0.0");
        assertThat(scrape.lines().filter(line -> !line.startsWith("#")).map(line -> line.split("[{ ]")[0]))
                .as("no metric name carries an abbreviated unit").noneMatch(name -> name.matches(".*_(ms|ns|us|millis|nanos|milliseconds|nanoseconds)(_.*)?"));
    }

    @Test
    void promtoolAcceptsTheScrape(@TempDir Path dir) throws Exception {
        Optional<Path> promtool = onPath("promtool");
        org.junit.jupiter.api.Assumptions.assumeTrue(promtool.isPresent(), "promtool is not on the PATH");
        Path scrape = Files.writeString(dir.resolve("metrics.txt"), scrapeAfterTraffic(), StandardCharsets.UTF_8);

        Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectInput(scrape.toFile())
                .redirectErrorStream(true).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String complaints = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(complaints).isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    private static Optional<Path> onPath(String program) {
        return Arrays.stream(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
