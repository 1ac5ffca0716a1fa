package dev.bulwark.yaml;

import dev.bulwark.fanout.FanOut;
import dev.bulwark.health.HealthMonitor;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the gateway's YAML into a {@link GatewayConfig}. Every problem is a {@link ConfigFileException} naming the
 * file, line, field, value and what is allowed; unknown keys are errors with a "did you mean"; a key given
 * twice is an error; durations accept {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or seconds.
 */
public final class GatewayConfigLoader {
    private static final Set<String> ROOT = union(Set.of("server", "fault_tolerance", "adapters", "modes", "quotas", ClusterSection.KEY),
            ReplicaSections.ROOT_KEYS);
    private static final Set<String> SERVER = union(Set.of("host", "port", "admin_token", "max_request_bytes"),
            ServerLimitsSection.KEYS);
    private static final Set<String> BREAKER = BreakerSection.KEYS;
    private static final Set<String> FAULT_TOLERANCE = union(union(BREAKER, PolicySections.KEYS),
            Set.of("enabled", "execution", "health_monitoring", EventHandlerSection.KEY));
    static final Set<String> ADAPTER_FAULT_TOLERANCE = union(union(BREAKER, PolicySections.KEYS),
            Set.of("operation_timeout", "event_handler"));
    /** The {@code execution:} keys: each the snake_case of a {@link FanOut.Builder} setting. */
    static final Set<String> EXECUTION = Set.of("strategy", "timeout", "max_concurrent_adapters", "shutdown_timeout");
    /** The fan-out the {@code execution:} block configures. */
    static final String FAN_OUT_NAME = "gateway";
    /** The health monitor's settings by the one rule (snake_case of its builder's setters); {@code enabled} chooses. */
    static final Set<String> HEALTH_SETTINGS = Set.of("check_interval", "history_size");
    private static final Set<String> HEALTH = union(Set.of("enabled", HealthChecksSection.KEY), HEALTH_SETTINGS);
    private static final Set<String> ADAPTER = Set.of("name", "url", "method", "headers", "body_template", "fault_tolerance",
            "optional", FallbackSection.KEY);
    /** Aliases to collections allowed in one file. */
    static final int MAX_ALIASES = 50;
    /** Nesting levels allowed. */
    static final int MAX_DEPTH = 50;
    /** Characters allowed in one file (1 MiB). */
    static final int MAX_CODE_POINTS = 1 << 20;

    private GatewayConfigLoader() {
    }

    /**
     * Reads and validates the file, which must be UTF-8 text.
     *
     * @throws ConfigFileException if the content is not a valid configuration, whatever the bytes
     * @throws UncheckedIOException if the file cannot be read
     */
    public static GatewayConfig load(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read configuration " + file, unreadable);
        }
        String fileName = file.getFileName().toString();
        return parse(fileName, Utf8Text.decode(fileName, content));
    }

    /**
     * Reads and validates YAML text; {@code fileName} appears in error messages. At most 50 aliases to collections, 50
     * levels of nesting and 1 Mi characters: a YAML bomb or a runaway file is refused instead of expanded.
     *
     * @throws ConfigFileException if the text is not a valid configuration
     */
    public static GatewayConfig parse(String fileName, String yaml) {
        if (yaml.length() > MAX_CODE_POINTS) {
            throw new ConfigFileException(fileName, 1, "", "is " + yaml.length() + " characters long, over the limit of "
                    + MAX_CODE_POINTS);
        }
        Node root;
        try {
            root = new Yaml(limits()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException malformed) {
            int line = malformed.getProblemMark() == null ? 1 : malformed.getProblemMark().getLine() + 1;
            throw new ConfigFileException(fileName, line, "", "is not valid YAML: " + malformed.getProblem());
        } catch (YAMLException refused) {
            // a limit (aliases, nesting, size) or a reader error: SnakeYAML gives no position for these
            throw new ConfigFileException(fileName, 1, "", "is not usable YAML: " + refused.getMessage());
        }
        if (root == null) {
            throw new ConfigFileException(fileName, 1, "", "is empty: expected fault_tolerance and adapters");
        }
        Section top = new Section(fileName, "", root).allowOnly(ROOT);
        Section tolerance = top.section("fault_tolerance");
        if (tolerance == null) {
            tolerance = new Section(fileName, "fault_tolerance", new Yaml().compose(new StringReader("{}")));
        }
        tolerance.allowOnly(FAULT_TOLERANCE);
        boolean enabled = tolerance.bool("enabled", true);
        FanOut.Config execution = execution(tolerance);
        GatewayConfig.HealthMonitoring health = health(tolerance.section("health_monitoring"));
        List<GatewayConfig.Adapter> adapters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Section adapter : top.list("adapters")) {
            adapter.allowOnly(ADAPTER);
            String name = adapter.requiredString("name");
            if (!names.add(name)) {
                throw new ConfigFileException(fileName, adapter.lineOf("name"), adapter.field("name"),
                        "must be unique, '" + name + "' is used twice");
            }
            URI url = adapter.has("url") ? uri(adapter) : null;
            Section own = adapter.section("fault_tolerance");
            if (own != null) {
                own.allowOnly(ADAPTER_FAULT_TOLERANCE);
            }
            Duration operationTimeout = own == null ? execution.timeout()
                    : own.duration("operation_timeout", execution.timeout(), Duration.ofMillis(1));
            String method = adapter.string("method", "GET").toUpperCase(Locale.ROOT);
            if (!method.equals("GET") && !method.equals("POST")) {
                throw new ConfigFileException(fileName, adapter.lineOf("method"), adapter.field("method"),
                        "must be GET or POST, was " + method);
            }
            String template = adapter.string("body_template", "{\"query\": \"{{query}}\"}");
            if (method.equals("POST") && !template.contains("{{query}}")) {
                throw new ConfigFileException(fileName, adapter.lineOf("body_template"), adapter.field("body_template"),
                        "must contain {{query}}, was " + template);
            }
            adapters.add(new GatewayConfig.Adapter(name, url, operationTimeout, BreakerSection.read(name, tolerance, own), method,
                    adapter.strings("headers"), template, PolicySections.read(name, tolerance, own),
                    adapter.bool("optional", false),
                    own == null ? null : EventHandlerSection.read(own.section(EventHandlerSection.KEY)),
                    FallbackSection.read(adapter.section(FallbackSection.KEY))));
        }
        if (adapters.isEmpty()) {
            throw new ConfigFileException(fileName, top.line(), "adapters", "must list at least one adapter");
        }
        return new GatewayConfig(server(top.section("server")), enabled, execution, health, adapters,
                ModesSection.read(top.section("modes")), EventHandlerSection.read(tolerance.section(EventHandlerSection.KEY)),
                QuotasSection.read(top.section("quotas")), ReplicaSections.read(top, adapters),
                ClusterSection.read(top.section(ClusterSection.KEY)));
    }

    private static LoaderOptions limits() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }

    private static URI uri(Section adapter) {
        String raw = adapter.string("url", "");
        try {
            URI uri = URI.create(raw);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not http");
            }
            return uri;
        } catch (IllegalArgumentException bad) {
            throw new ConfigFileException(fileOf(adapter), adapter.lineOf("url"), adapter.field("url"),
                    "must be an http(s) URL, was " + raw);
        }
    }

    private static String fileOf(Section section) {
        return section.file();
    }

    /**
     * The {@code execution:} block as the gateway fan-out's settings: each key gives the {@link FanOut.Builder}
     * setting it is the snake_case of, and the builder's checks are the only ones (an invalid value fails at its
     * file and line with core's range).
     */
    private static FanOut.Config execution(Section tolerance) {
        Section block = tolerance.section("execution");
        List<Section> layers = block == null ? List.of() : List.of(block.allowOnly(EXECUTION));
        BuilderSettings settings = BuilderSettings.merge(layers, EXECUTION, Set.of(), Map.of(),
                block == null ? tolerance : block, block == null ? "execution" : "");
        FanOut.Builder<Object, Object> builder = FanOut.builder(FAN_OUT_NAME);
        settings.applyTo(builder);
        return settings.build(builder::buildConfig);
    }

    private static GatewayConfig.Server server(@org.jspecify.annotations.Nullable Section server) {
        GatewayConfig.Server defaults = GatewayConfig.Server.defaults();
        if (server == null) {
            return defaults;
        }
        server.allowOnly(SERVER);
        String host = server.string("host", defaults.host()).trim();
        if (host.isEmpty() || host.contains(" ") || host.contains("/")) {
            throw new ConfigFileException(fileOf(server), server.lineOf("host"), server.field("host"),
                    "must be an IP address or host name to bind, was '" + host + "'");
        }
        return new GatewayConfig.Server(host, server.integer("port", defaults.port(), 0, 65_535),
                server.string("admin_token", defaults.adminToken()),
                server.integer("max_request_bytes", defaults.maxRequestBytes(), 1024, 64 * 1024 * 1024),
                ServerLimitsSection.read(server));
    }

    /** {@code health_monitoring}: its settings go to the gateway's {@link HealthMonitor} builder, which checks them. */
    private static GatewayConfig.HealthMonitoring health(@org.jspecify.annotations.Nullable Section health) {
        HealthMonitor.Config.Builder monitor = HealthMonitor.builder("gateway");
        if (health == null) {
            return new GatewayConfig.HealthMonitoring(true, monitor.buildConfig());
        }
        health.allowOnly(HEALTH);
        BuilderSettings settings = BuilderSettings.merge(List.of(health), HEALTH_SETTINGS, Set.of(), Map.of(), health, "");
        settings.applyTo(monitor);
        return new GatewayConfig.HealthMonitoring(health.bool("enabled", true), settings.build(monitor::buildConfig),
                HealthChecksSection.read(health));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return Set.copyOf(both);
    }
}
