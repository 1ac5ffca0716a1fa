package dev.bulwark.yaml;

import dev.bulwark.internal.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code health_monitoring.checks:}: a check the gateway's health monitor runs beside its built-in ones.
 *
 * @param name the check's name ({@code name}, required, unique among the checks)
 * @param type {@code http} (GET {@code url}, healthy when the answer has {@code expectedStatus}) or {@code tcp}
 *        (healthy when a connection to {@code host}:{@code port} opens)
 * @param url what an http check asks; null for tcp
 * @param expectedStatus the status an http check expects ({@code expected_status}, default 200, in [100, 599])
 * @param host what a tcp check connects to; empty for http
 * @param port the tcp check's port, in [1, 65535]; 0 for http
 * @param interval how often it runs ({@code interval}, default: the monitor's {@code check_interval})
 * @param timeout how long one run may take ({@code timeout}, default 5 s, at least 1 ms); longer is unhealthy
 * @param critical whether its UNHEALTHY makes the whole gateway UNHEALTHY ({@code critical}, default false:
 *        it makes it DEGRADED)
 */
public record HealthCheckConfig(String name, Type type, @Nullable URI url, int expectedStatus, String host, int port,
                                @Nullable Duration interval, Duration timeout, boolean critical) {
    /** How a check probes. */
    public enum Type {
        /** An HTTP GET. */
        HTTP,
        /** A TCP connect. */
        TCP
    }

    /** Validates every field. @throws dev.bulwark.ConfigException naming the field, value and range */
    public HealthCheckConfig {
        String who = "health check '" + Checks.name("health check", name) + "'";
        Objects.requireNonNull(type, "type");
        if (type == Type.HTTP) {
            Checks.required(who, "url", url);
            Checks.between(who, "expected_status", expectedStatus, 100, 599);
        } else {
            if (host == null || host.isBlank()) {
                throw new dev.bulwark.ConfigException(who, "host", host, "a host name or address");
            }
            Checks.between(who, "port", port, 1, 65_535);
        }
        if (interval != null) {
            Checks.positive(who, "interval", interval);
        }
        Checks.positive(who, "timeout", timeout);
    }
}
