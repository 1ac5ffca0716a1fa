package dev.bulwark.yaml;

import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.failover.Provisioner;
import dev.bulwark.reconcile.Reconciler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code storage:}, {@code series:} and {@code failover_groups:}. The settings of the series and of each group
 * are the snake_case of their builder's settings, checked by the builder (file, line, field, value and range on a
 * refusal); the rest is checked here the same way.
 */
final class ReplicaSections {
    static final Set<String> ROOT_KEYS = Set.of("storage", "series", "failover_groups");
    private static final Set<String> STORAGE = Set.of("data_directory", "jdbc_url", "user", "password");
    /** Each the snake_case of a {@link Reconciler.Config.Builder} setting. */
    static final Set<String> SERIES_SETTINGS = Set.of("retention_window", "gap_detection_threshold",
            "interpolation_max_gap", "interval", "tolerance", "max_future_skew");
    private static final Set<String> SERIES = union(SERIES_SETTINGS, Set.of("min_value", "max_value"));
    /** Each the snake_case of a {@link FailoverGroup.Config.Builder} setting. */
    static final Set<String> GROUP_SETTINGS = Set.of("risk_threshold", "termination_grace_period", "history_size");
    private static final Set<String> GROUP = union(GROUP_SETTINGS, Set.of("name", "adapter", "standbys", "mode",
            "health_path", "ready_timeout"));

    private ReplicaSections() {
    }

    static ReplicaSettings read(Section top, List<GatewayConfig.Adapter> adapters) {
        return new ReplicaSettings(storage(top.section("storage")), series(top.section("series")), groups(top, adapters));
    }

    private static ReplicaSettings.@Nullable Storage storage(@Nullable Section storage) {
        if (storage == null) {
            return null;
        }
        storage.allowOnly(STORAGE);
        String directory = storage.string("data_directory", "data").trim();
        if (directory.isEmpty()) {
            throw new ConfigFileException(storage.file(), storage.lineOf("data_directory"), storage.field("data_directory"),
                    "must be a directory path, was ''");
        }
        String url = storage.has("jdbc_url") ? storage.string("jdbc_url", "").trim() : null;
        if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw new ConfigFileException(storage.file(), storage.lineOf("jdbc_url"), storage.field("jdbc_url"),
                    "must be a JDBC URL starting with jdbc:postgresql: or jdbc:h2:, was "
                            + url.replaceAll("(?i)(password=)[^&;]*", "$1***"));
        }
        return new ReplicaSettings.Storage(Path.of(directory), url, storage.string("user", ""), storage.string("password", ""));
    }

    private static Reconciler.Config series(@Nullable Section series) {
        Reconciler.Config.Builder builder = Reconciler.builder(ReplicaSettings.PLACEHOLDER_SINK);
        if (series == null) {
            return builder.buildConfig();
        }
        series.allowOnly(SERIES);
        BuilderSettings settings = BuilderSettings.merge(List.of(series), SERIES_SETTINGS, Set.of(), Map.of(), series, "");
        settings.applyTo(builder);
        if (series.has("min_value") || series.has("max_value")) {
            double min = series.decimal("min_value", Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, Double.MAX_VALUE);
            double max = series.decimal("max_value", Double.POSITIVE_INFINITY, -Double.MAX_VALUE, Double.MAX_VALUE);
            if (!(min <= max)) {
                throw new ConfigFileException(series.file(), series.lineOf("max_value"), series.field("max_value"),
                        "must be >= min_value (" + min + "), was " + max);
            }
            builder.valueRange(min, max);
        }
        return settings.build(builder::buildConfig);
    }

    private static List<ReplicaSettings.FailoverGroupSettings> groups(Section top, List<GatewayConfig.Adapter> adapters) {
        List<ReplicaSettings.FailoverGroupSettings> groups = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> routed = new HashSet<>();
        for (Section group : top.list("failover_groups")) {
            group.allowOnly(GROUP);
            String name = group.requiredString("name");
            if (!names.add(name)) {
                throw new ConfigFileException(group.file(), group.lineOf("name"), group.field("name"),
                        "must be unique, '" + name + "' is used twice");
            }
            String adapterName = group.requiredString("adapter");
            GatewayConfig.Adapter adapter = adapters.stream().filter(a -> a.name().equals(adapterName)).findFirst()
                    .orElseThrow(() -> new ConfigFileException(group.file(), group.lineOf("adapter"), group.field("adapter"),
                            "must name a configured adapter, was '" + adapterName + "'; known: "
                                    + adapters.stream().map(GatewayConfig.Adapter::name).toList()));
            if (!routed.add(adapterName)) {
                throw new ConfigFileException(group.file(), group.lineOf("adapter"), group.field("adapter"),
                        "must be routed by one group only, '" + adapterName + "' is in two");
            }
            URI primary = adapter.url();
            if (primary == null) {
                throw new ConfigFileException(group.file(), group.lineOf("adapter"), group.field("adapter"),
                        "must name an adapter with a url (its primary), '" + adapterName + "' has none");
            }
            List<URI> standbys = new ArrayList<>();
            for (String raw : group.scalars("standbys")) {
                standbys.add(httpUrl(group, "standbys", raw));
            }
            if (standbys.isEmpty()) {
                throw new ConfigFileException(group.file(), group.lineOf("standbys"), group.field("standbys"),
                        "must list at least one standby URL, was " + (group.has("standbys") ? "[]" : "absent"));
            }
            String mode = group.string("mode", "auto").trim().toLowerCase(Locale.ROOT);
            FailoverGroup.ControlMode control = switch (mode) {
                case "auto" -> FailoverGroup.ControlMode.AUTO;
                case "manual" -> FailoverGroup.ControlMode.MANUAL;
                case "off" -> FailoverGroup.ControlMode.OFF;
                default -> throw new ConfigFileException(group.file(), group.lineOf("mode"), group.field("mode"),
                        "must be one of auto, manual, off, was " + mode);
            };
            String healthPath = group.string("health_path", "");
            if (!healthPath.isEmpty() && !healthPath.startsWith("/")) {
                throw new ConfigFileException(group.file(), group.lineOf("health_path"), group.field("health_path"),
                        "must be empty or a path starting with '/', was '" + healthPath + "'");
            }
            Duration readyTimeout = group.duration("ready_timeout", Duration.ofSeconds(30), Duration.ofMillis(1));
            FailoverGroup.Config.Builder<URI> builder = FailoverGroup.builder(name, primary, PLACEHOLDER_PROVISIONER);
            BuilderSettings settings = BuilderSettings.merge(List.of(group), GROUP_SETTINGS, Set.of(), Map.of(), group, "");
            settings.applyTo(builder);
            groups.add(new ReplicaSettings.FailoverGroupSettings(name, adapterName, primary, standbys, control, healthPath,
                    readyTimeout, settings.build(builder::buildConfig)));
        }
        return groups;
    }

    private static URI httpUrl(Section group, String key, String raw) {
        try {
            URI uri = URI.create(raw.trim());
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below with the field and value
        }
        throw new ConfigFileException(group.file(), group.lineOf(key), group.field(key), "must list http(s) URLs, was " + raw);
    }

    /** The group settings are validated with this; the gateway builds each group with its own provisioner. */
    private static final Provisioner<URI> PLACEHOLDER_PROVISIONER = new Provisioner<>() {
        @Override
        public CompletableFuture<URI> create(String reason) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("placeholder"));
        }

        @Override
        public CompletableFuture<Void> ready(URI instance) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("placeholder"));
        }

        @Override
        public CompletableFuture<Void> terminate(URI instance) {
            return CompletableFuture.completedFuture(null);
        }
    };

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.addAll(b);
        return Set.copyOf(both);
    }
}
