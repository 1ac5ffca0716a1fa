package dev.bulwark.yaml;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the {@code quotas:} block into {@link GatewayQuotas}; ranges are the record's, reported at the key's line. */
final class QuotasSection {
    static final Set<String> KEYS = Set.of("key_header", "cost_header", "window", "limit", "keys", "warning_percent",
            "critical_percent", "on_critical", "on_exhausted");

    private QuotasSection() {
    }

    static @Nullable GatewayQuotas read(@Nullable Section quotas) {
        if (quotas == null) {
            return null;
        }
        quotas.allowOnly(KEYS);
        Map<String, Double> keys = new LinkedHashMap<>();
        Section listed = quotas.section("keys");
        if (listed != null) {
            for (String key : listed.keys()) {
                double limit = listed.decimal(key, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
                if (!(limit > 0 && limit <= 1e15)) {
                    throw new ConfigFileException(listed.file(), listed.lineOf(key), listed.field(key),
                            "must be in (0.0, 1.0E15], was " + limit);
                }
                keys.put(key, limit);
            }
        }
        String cost = quotas.has("cost_header") ? quotas.string("cost_header", "").trim() : null;
        if (!quotas.has("limit")) {
            throw new ConfigFileException(quotas.file(), quotas.line(), quotas.field("limit"), "is required");
        }
        return EventHandlerSection.located(quotas, () -> new GatewayQuotas(quotas.requiredString("key_header").trim(), cost,
                quotas.duration("window", Duration.ofMinutes(1), Duration.ZERO),
                quotas.decimal("limit", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), keys,
                quotas.decimal("warning_percent", 70, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                quotas.decimal("critical_percent", 90, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                action(quotas, "on_critical", "degrade"), action(quotas, "on_exhausted", "reject")));
    }

    private static GatewayQuotas.Action action(Section quotas, String key, String fallback) {
        String raw = quotas.string(key, fallback).trim().toLowerCase(Locale.ROOT);
        try {
            return GatewayQuotas.Action.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new ConfigFileException(quotas.file(), quotas.lineOf(key), quotas.field(key),
                    "must be one of degrade, cache, none, reject, switch_provider, queue_for_later, was " + raw);
        }
    }
}
