package dev.bulwark.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code health_monitoring.checks:}, a list of HTTP and TCP checks; ranges are {@link HealthCheckConfig}'s. */
final class HealthChecksSection {
    static final String KEY = "checks";
    private static final Set<String> HTTP = Set.of("name", "type", "url", "expected_status", "interval", "timeout", "critical");
    private static final Set<String> TCP = Set.of("name", "type", "host", "port", "interval", "timeout", "critical");
    /** The built-in checks' names, which a configured check may not take. */
    private static final Set<String> BUILT_IN = Set.of("heap", "cpu", "disk", "circuit-breakers");

    private HealthChecksSection() {
    }

    static List<HealthCheckConfig> read(Section health) {
        List<HealthCheckConfig> checks = new ArrayList<>();
        Set<String> names = new HashSet<>(BUILT_IN);
        for (Section check : health.list(KEY)) {
            String name = check.requiredString("name").trim();
            if (!names.add(name)) {
                throw new ConfigFileException(check.file(), check.lineOf("name"), check.field("name"),
                        "must be unique and not one of the built-in checks " + BUILT_IN + ", was '" + name + "'");
            }
            String type = check.requiredString("type").trim();
            Duration interval = check.has("interval") ? check.duration("interval", Duration.ZERO, Duration.ZERO) : null;
            Duration timeout = check.duration("timeout", Duration.ofSeconds(5), Duration.ZERO);
            boolean critical = check.bool("critical", false);
            HealthCheckConfig config = switch (type) {
                case "http" -> {
                    check.allowOnly(HTTP);
                    var url = EventHandlerSection.httpUrl(check, "url");
                    yield EventHandlerSection.located(check, () -> new HealthCheckConfig(name, HealthCheckConfig.Type.HTTP,
                            url, check.integer("expected_status", 200, Integer.MIN_VALUE, Integer.MAX_VALUE), "", 0,
                            interval, timeout, critical));
                }
                case "tcp" -> {
                    check.allowOnly(TCP);
                    yield EventHandlerSection.located(check, () -> new HealthCheckConfig(name, HealthCheckConfig.Type.TCP,
                            null, 0, check.requiredString("host").trim(),
                            check.integer("port", 0, Integer.MIN_VALUE, Integer.MAX_VALUE), interval, timeout, critical));
                }
                default -> throw new ConfigFileException(check.file(), check.lineOf("type"), check.field("type"),
                        "must be http or tcp, was " + type);
            };
            checks.add(config);
        }
        return List.copyOf(checks);
    }
}
