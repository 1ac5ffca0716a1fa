package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.health.HealthCheck;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.HealthCheckConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The checks of {@code health_monitoring.checks:} on the gateway's health monitor: an {@code http} check GETs its URL
 * and is healthy when the answer has the expected status; a {@code tcp} check is healthy when a connection opens.
 * Each runs every {@code interval} (else the monitor's {@code check_interval}) within its {@code timeout} (a run past
 * it is unhealthy); a {@code critical} check's UNHEALTHY makes the gateway UNHEALTHY, any other's only DEGRADED.
 * On reload, checks whose settings changed are replaced, removed ones unregistered, unchanged ones left running.
 * This class is thread-safe.
 */
final class ConfiguredHealthChecks {
    private final HealthMonitor monitor;
    private final HttpClient client;
    private final Map<String, HealthCheckConfig> registered = new HashMap<>();

    ConfiguredHealthChecks(HealthMonitor monitor, HttpClient client) {
        this.monitor = monitor;
        this.client = client;
    }

    /**
     * The monitor of {@code health_monitoring:} over the JVM (heap, CPU, disk) and the adapters' {@code breakers},
     * reading and waiting on {@code clock} and {@code scheduler}; the configured checks come with {@link #apply}.
     */
    static HealthMonitor monitor(GatewayConfig.HealthMonitoring settings, Clock clock, Scheduler scheduler,
                                 Supplier<Collection<CircuitBreaker>> breakers) {
        HealthMonitor monitor = HealthMonitor.of(settings.monitor().toBuilder().clock(clock).scheduler(scheduler).buildConfig());
        for (HealthCheck check : List.of(HealthCheck.heap(), HealthCheck.cpuLoad(), HealthCheck.diskSpace(Path.of(".")),
                OpenCircuits.check(breakers))) {
            monitor.register(check);
        }
        return monitor;
    }

    synchronized void apply(List<HealthCheckConfig> checks) {
        Map<String, HealthCheckConfig> next = new HashMap<>();
        checks.forEach(check -> next.put(check.name(), check));
        registered.forEach((name, old) -> {
            if (!old.equals(next.get(name))) {
                monitor.unregister(name);
            }
        });
        next.forEach((name, check) -> {
            if (!check.equals(registered.get(name))) {
                monitor.register(of(check, client));
            }
        });
        registered.clear();
        registered.putAll(next);
    }

    static HealthCheck of(HealthCheckConfig settings, HttpClient client) {
        HealthCheck check = settings.type() == HealthCheckConfig.Type.HTTP ? http(settings, client) : tcp(settings);
        check = check.withTimeout(settings.timeout());
        if (settings.interval() != null) {
            check = check.withInterval(settings.interval());
        }
        return settings.critical() ? check.asCritical() : check;
    }

    private static HealthCheck http(HealthCheckConfig settings, HttpClient client) {
        var url = java.util.Objects.requireNonNull(settings.url(), "url");
        return HealthCheck.async(settings.name(), () -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.timeout()).GET().build();
            CompletableFuture<HealthCheck.Finding> finding = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        if (error != null) {
                            return HealthCheck.Finding.unhealthy("GET " + url + " failed: " + Views.describe(error));
                        }
                        String seen = "GET " + url + ": HTTP " + response.statusCode();
                        return response.statusCode() == settings.expectedStatus()
                                ? HealthCheck.Finding.healthy(seen).with("status", response.statusCode())
                                : HealthCheck.Finding.unhealthy(seen + ", expected " + settings.expectedStatus())
                                        .with("status", response.statusCode());
                    });
            return finding;
        });
    }

    private static HealthCheck tcp(HealthCheckConfig settings) {
        String target = settings.host() + ":" + settings.port();
        return HealthCheck.ofFinding(settings.name(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(settings.host(), settings.port()),
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.timeout().toMillis())));
                return HealthCheck.Finding.healthy("connected to " + target);
            } catch (IOException refused) {
                return HealthCheck.Finding.unhealthy("cannot connect to " + target + ": " + Views.describe(refused));
            }
        });
    }
}
