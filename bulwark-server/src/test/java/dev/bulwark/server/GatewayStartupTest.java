package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.store.AuditLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What start-up leaves for later without changing what the gateway does: the JDK client (webhooks, HTTP health checks,
 * failover) is built when something first calls out, and the embedded audit database opens once the gateway listens
 * (or at its first use), its failure still falling back to memory with the reason.
 */
class GatewayStartupTest {
    @TempDir
    Path dir;

    @Test
    void aGatewayWithNothingCallingOutAnswersQueriesWithoutBuildingTheJdkClient() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend();
             Gateway gateway = Gateway.start(Map.of("ok", backend.url("/ok")), 0)) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.port() + "/query"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"hi\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("ok answer to 'hi'");
            assertThat(gateway.outboundClient().isBuilt()).isFalse();
        }
    }

    @Test
    void theDeferredClientIsBuiltOnceWhateverTheThreadsThatFirstUseIt() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        DeferredHttpClient client = new DeferredHttpClient(() -> {
            builds.incrementAndGet();
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        });
        assertThat(client.isBuilt()).isFalse();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<HttpClient.Version>> versions = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                versions.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    return client.version();
                }));
            }
            for (Future<HttpClient.Version> version : versions) {
                assertThat(version.get(10, TimeUnit.SECONDS)).isEqualTo(HttpClient.Version.HTTP_1_1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(builds.get()).isEqualTo(1);
        assertThat(client.isBuilt()).isTrue();
        assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
    }

    @Test
    void theAuditDatabaseOpensBesideTheStartAndKeepsWhatIsRecorded() {
        Path audit = dir.resolve("audit");
        try (AuditTrail trail = AuditTrail.open(null, audit)) {
            trail.record(entry("mode.force"));

            assertThat(trail.durable()).isTrue();
            assertThat(trail.where()).isEqualTo(audit.toAbsolutePath().toString());
        }
        try (AuditTrail again = AuditTrail.open(null, audit)) {
            assertThat(again.recent(10)).extracting(AuditLog.Entry::action).containsExactly("mode.force");
        }
    }

    @Test
    void anAuditClosedBeforeTheGatewayListenedOpensNoDatabase() {
        Path never = dir.resolve("never");
        AuditTrail.open(null, never).close();

        assertThat(never).doesNotExist();
    }

    @Test
    void theAuditOpenedInTheBackgroundIsTheOneItsUsersWaitFor() {
        Path audit = dir.resolve("background");
        try (AuditTrail trail = AuditTrail.open(null, audit)) {
            trail.openInBackground();
            trail.openInBackground();
            trail.record(entry("mode.release"));

            assertThat(trail.durable()).isTrue();
            assertThat(trail.recent(10)).extracting(AuditLog.Entry::action).containsExactly("mode.release");
        }
    }

    @Test
    void anAuditDirectoryThatCannotBeMadeFallsBackToMemorySayingWhy() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("taken"), "a file, not a directory");
        try (AuditTrail trail = AuditTrail.open(null, notADirectory)) {
            trail.record(entry("circuit.reset"));

            assertThat(trail.durable()).isFalse();
            assertThat(trail.where()).isEqualTo("memory (" + notADirectory + " unusable)");
            assertThat(trail.recent(10)).extracting(AuditLog.Entry::action).containsExactly("circuit.reset");
        }
    }

    private static AuditLog.Entry entry(String action) {
        return new AuditLog.Entry(1_000L, action, "alpha", "applied", "", "admin", "127.0.0.1");
    }
}
