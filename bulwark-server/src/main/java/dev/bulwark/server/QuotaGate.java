package dev.bulwark.server;

import dev.bulwark.redis.ClusterRateLimiter;
import dev.bulwark.resource.ResourceMonitor;
import dev.bulwark.resource.ResourceType;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.GatewayQuotas;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code quotas:} block at work on {@code /query}: each query is charged to its client's key (the key header's
 * value when it is a listed key, else {@code other}) on a resource monitor's sliding window, by 1 or by the cost
 * header's value; before it is charged, the key's status decides what it gets: HEALTHY and WARNING as usual,
 * CRITICAL {@code on_critical} (degrade or the cache), EXHAUSTED {@code on_exhausted} (429 or the cache). The
 * monitor is the gateway's own and not in its registry: one client's quota is no reason to change the whole
 * gateway's mode. With {@code cluster.share.quotas} each query is also charged (whole units, rounded up) to its key's
 * {@link ClusterRateLimiter}, shared by every gateway on the Redis: when the cluster's quota is spent the query gets
 * {@code on_exhausted}, whatever this gateway's own window says. This class is thread-safe.
 */
final class QuotaGate {
    /** The resource the quotas count: API usage, warning at 70 % and critical at 90 % unless configured. */
    static final ResourceType TYPE = ResourceType.API_QUOTA;

    /** What one query gets: its key, the key's reading before the charge, and the action that reading calls for. */
    record Decision(String key, ResourceMonitor.Reading reading, GatewayQuotas.Action action) {
        Map<String, Object> view() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("status", reading.status().name());
            out.put("usage_percent", Math.round(reading.usagePercent() * 10) / 10.0);
            out.put("action", action.name().toLowerCase(Locale.ROOT));
            return out;
        }
    }

    private final GatewayQuotas settings;
    private final ResourceMonitor monitor;
    /** Each key's cluster-wide quota, or empty when quotas are not shared. */
    private final Map<String, ClusterRateLimiter> shared;

    QuotaGate(GatewayQuotas settings, Clock clock, Scheduler scheduler) {
        this(settings, clock, scheduler, Map.of());
    }

    QuotaGate(GatewayQuotas settings, Clock clock, Scheduler scheduler, Map<String, ClusterRateLimiter> shared) {
        this.settings = settings;
        this.shared = Map.copyOf(shared);
        ResourceMonitor.Config.Builder builder = ResourceMonitor.builder("quotas").clock(clock).scheduler(scheduler)
                .systemReadings(false).thresholds(TYPE, settings.warningPercent(), settings.criticalPercent())
                .quota(TYPE, settings.limit(), settings.window());
        settings.keys().forEach((key, limit) -> builder.quota(TYPE, key, limit, settings.window()));
        this.monitor = builder.build();
    }

    /** Whether each query is also charged to a cluster-wide quota. */
    boolean clusterShared() {
        return !shared.isEmpty();
    }

    GatewayQuotas settings() {
        return settings;
    }

    /**
     * Decides and, unless refused, charges the query.
     *
     * @throws ClientError 400 when the cost header is not a number in [0, 1e9]
     */
    Decision admit(Context ctx) {
        String named = ctx.header(settings.keyHeader());
        String key = named != null && settings.keys().containsKey(named) ? named : GatewayQuotas.OTHER;
        double cost = cost(ctx);
        ResourceMonitor.Reading reading = monitor.check(TYPE, key);
        GatewayQuotas.Action action = switch (reading.status()) {
            case HEALTHY, WARNING -> GatewayQuotas.Action.NONE;
            case CRITICAL -> settings.onCritical();
            case EXHAUSTED -> settings.onExhausted();
        };
        ClusterRateLimiter cluster = shared.get(key);
        if (cluster != null && action != GatewayQuotas.Action.REJECT && cost > 0
                && !cluster.tryAcquire((int) Math.min(Integer.MAX_VALUE, Math.ceil(cost)))) {
            reading = new ResourceMonitor.Reading(TYPE, key, ResourceMonitor.Status.EXHAUSTED, 100, reading.wallMillis());
            action = settings.onExhausted();
        }
        if (action != GatewayQuotas.Action.REJECT) {
            monitor.recordUsage(TYPE, key, cost);
        }
        return new Decision(key, reading, action);
    }

    private double cost(Context ctx) {
        String header = settings.costHeader();
        if (header == null) {
            return 1;
        }
        String raw = ctx.header(header);
        if (raw == null) {
            return 1;
        }
        try {
            double cost = Double.parseDouble(raw.trim());
            if (cost >= 0 && cost <= 1e9) {
                return cost;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, naming the header
        }
        throw new ClientError(400, header, header + " must be a number in [0, 1e9], was '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
    }

    /** The seconds a refused client should wait: the window, after which its oldest usage has left it. */
    long retryAfterSeconds() {
        return Math.max(1, settings.window().toSeconds());
    }

    /** {@code GET /resources}: each key's status now and its usage over the last 24 h. */
    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key_header", settings.keyHeader());
        out.put("unit", settings.costHeader() == null ? "queries" : settings.costHeader());
        out.put("window_seconds", settings.window().toSeconds());
        out.put("warning_percent", settings.warningPercent());
        out.put("critical_percent", settings.criticalPercent());
        out.put("shared_by_cluster", !shared.isEmpty());
        Set<String> keys = new LinkedHashSet<>(settings.keys().keySet());
        keys.add(GatewayQuotas.OTHER);
        ResourceMonitor.Report day = monitor.report(Duration.ofHours(24));
        Map<String, Object> perKey = new LinkedHashMap<>();
        for (String key : keys) {
            ResourceMonitor.Reading now = monitor.check(TYPE, key);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("limit", settings.limitOf(key));
            one.put("status", now.status().name());
            one.put("usage_percent", Math.round(now.usagePercent() * 10) / 10.0);
            one.put("at", Instant.ofEpochMilli(now.wallMillis()).toString());
            ResourceMonitor.Report.Entry history = day.resources().get(TYPE.name() + "/" + key);
            if (history != null) {
                Map<String, Object> last24h = new LinkedHashMap<>();
                last24h.put("readings", history.readings());
                last24h.put("peak_percent", Math.round(history.peakPercent() * 10) / 10.0);
                last24h.put("worst", history.worst().name());
                one.put("last_24h", last24h);
            }
            perKey.put(key, one);
        }
        out.put("keys", perKey);
        return out;
    }
}
