package dev.bulwark.resource;

import dev.bulwark.ConfigException;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Tracks how much of each resource is used and says whether it may still be used.
 *
 * <pre>{@code
 * ResourceMonitor resources = ResourceMonitor.builder("app")
 *         .quota(ResourceType.API_QUOTA, 100_000, Duration.ofHours(1))      // tokens per key per hour
 *         .alternatives(ResourceType.API_QUOTA, "model-a", List.of("model-b", "model-c"))
 *         .build();
 * resources.recordUsage(ResourceType.API_QUOTA, "marketing-team", 1_000);
 * if (!resources.canUse(ResourceType.API_QUOTA, "model-a")) { model = resources.alternative(...).orElseThrow(); }
 * }</pre>
 *
 * <p>A resource's usage comes from a quota (amounts recorded per key over a sliding window against a
 * limit) or a gauge (a percentage read on demand and cached; the JVM's heap, CPU load and disk space are
 * built in). Default thresholds (warning / critical): API quota 70 / 90 %, memory 80 / 95 %, CPU 85 / 98 %, others
 * 80 / 95 %; 100 % is EXHAUSTED. This interface's implementation is thread-safe.
 */
public interface ResourceMonitor extends Component, EventSource<ResourceEvent> {

    /** A builder for a monitor called {@code name}. */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Reads one resource (the whole type when {@code key} is empty).
     *
     * @throws IllegalArgumentException naming the known types if the type has neither a quota nor a gauge
     */
    ResourceCheck check(ResourceType type, String key);

    /** Reads a whole resource type. */
    default ResourceCheck check(ResourceType type) {
        return check(type, "");
    }

    /** True while the resource is HEALTHY or WARNING. */
    default boolean canUse(ResourceType type, String key) {
        return check(type, key).status().usable();
    }

    /** True while the resource type is HEALTHY or WARNING. */
    default boolean canUse(ResourceType type) {
        return canUse(type, "");
    }

    /**
     * Records {@code amount} used by {@code key} against the type's quota.
     *
     * @throws IllegalArgumentException if the type has no quota, or the amount is negative or not finite
     */
    void recordUsage(ResourceType type, String key, double amount);

    /** The first configured alternative of {@code key} that is usable now (for example model A -> model B). */
    Optional<String> alternative(ResourceType type, String key);

    /** Readings over the last {@code period} (at most 24 h), per resource. */
    ResourceReport report(Duration period);

    @Override
    default Class<? extends Component> kind() {
        return ResourceMonitor.class;
    }

    /** A quota: {@code limit} per key over {@code window}. */
    record Quota(double limit, Duration window) {
    }

    /** Builds a {@link ResourceMonitor}. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        final String name;
        final Map<ResourceType, double[]> thresholds = new HashMap<>();
        final Map<ResourceType, Quota> quotas = new HashMap<>();
        final Map<String, Quota> keyQuotas = new HashMap<>();
        final Map<ResourceType, DoubleSupplier> gauges = new HashMap<>();
        final Map<String, List<String>> alternatives = new HashMap<>();
        Duration readingCacheInterval = Duration.ofSeconds(5);
        int historySize = 1_000;
        boolean systemReadings = true;

        private Builder(String name) {
            this.name = name;
        }

        @Override
        protected String component() {
            return "resource monitor '" + name + "'";
        }

        /** Warning and critical thresholds for a type, in percent: 0 < warning < critical <= 100. */
        public Builder thresholds(ResourceType type, double warning, double critical) {
            String who = "resource monitor '" + name + "'";
            Checks.aboveAndAtMost(who, type + ".warning", warning, 0, 100);
            Checks.aboveAndAtMost(who, type + ".critical", critical, warning, 100);
            thresholds.put(Objects.requireNonNull(type, "type"), new double[] {warning, critical});
            return this;
        }

        /** A quota of {@code limit} per key over a sliding {@code window}, for every key of the type. */
        public Builder quota(ResourceType type, double limit, Duration window) {
            quotas.put(Objects.requireNonNull(type, "type"), checkedQuota(type.name(), limit, window));
            return this;
        }

        /** A quota for one key, overriding the type's. */
        public Builder quota(ResourceType type, String key, double limit, Duration window) {
            keyQuotas.put(type.name() + "/" + key, checkedQuota(type.name() + "/" + key, limit, window));
            return this;
        }

        private Quota checkedQuota(String what, double limit, Duration window) {
            String who = "resource monitor '" + name + "'";
            Checks.aboveAndAtMost(who, what + ".limit", limit, 0, Double.MAX_VALUE);
            Checks.positive(who, what + ".window", window);
            return new Quota(limit, window);
        }

        /** A gauge that reads a type's usage in percent (cached for the reading interval). */
        public Builder gauge(ResourceType type, DoubleSupplier usagePercent) {
            gauges.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(usagePercent, "usagePercent"));
            return this;
        }

        /** The alternatives of {@code key}, in order of preference. */
        public Builder alternatives(ResourceType type, String key, List<String> ordered) {
            alternatives.put(type.name() + "/" + key, List.copyOf(ordered));
            return this;
        }

        /** How long a gauge reading is reused (default 5 s). */
        public Builder readingCacheInterval(Duration interval) {
            given("readingCacheInterval");
            this.readingCacheInterval = interval;
            return this;
        }

        /** Readings kept per resource (default 1,000; none older than 24 h is reported). */
        public Builder historySize(int size) {
            given("historySize");
            this.historySize = size;
            return this;
        }

        /** Whether the JVM's heap, CPU and disk gauges are built in (default true). */
        public Builder systemReadings(boolean enabled) {
            given("systemReadings");
            this.systemReadings = enabled;
            return this;
        }

        /** The monitor. @throws ConfigException for an invalid setting */
        public ResourceMonitor build() {
            String who = "resource monitor '" + Checks.name("resource monitor", name) + "'";
            Checks.notNegative(who, "readingCacheInterval", readingCacheInterval);
            Checks.between(who, "historySize", historySize, 1, 1_000_000);
            return new DefaultResourceMonitor(this);
        }
    }
}
