package dev.bulwark.resource;

import dev.bulwark.ConfigException;
import dev.bulwark.TimedBuilder;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
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
public interface ResourceMonitor extends Component, EventSource<ResourceMonitor.Event> {

    /** A builder for a monitor called {@code name}. */
    static Config.Builder builder(String name) {
        return new Config.Builder(name);
    }

    /** The monitor {@code config} describes. */
    static ResourceMonitor of(Config config) {
        return new DefaultResourceMonitor(Objects.requireNonNull(config, "config"));
    }

    /** This monitor's settings. */
    Config config();

    /**
     * Reads one resource (the whole type when {@code key} is empty).
     *
     * @throws IllegalArgumentException naming the known types if the type has neither a quota nor a gauge
     */
    Reading check(ResourceType type, String key);

    /** Reads a whole resource type. */
    default Reading check(ResourceType type) {
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

    /**
     * The pressure of {@code type}/{@code key} ({@code ""} for the type as a whole) as a signal a
     * {@link dev.bulwark.fallback.LoadShedder} sheds by: WARNING sheds LOW calls, CRITICAL sheds LOW and NORMAL,
     * EXHAUSTED sheds everything but CRITICAL; HEALTHY sheds nothing. Read afresh at every call; thread-safe.
     *
     * <pre>{@code
     * LoadShedder shedder = LoadShedder.of("llm", 100).watching(resources.pressure(ResourceType.API_QUOTA, ""));
     * }</pre>
     */
    default dev.bulwark.fallback.LoadShedder.ShedSignal pressure(ResourceType type, String key) {
        return ResourcePressure.of(this, type, key);
    }

    /** Readings over the last {@code period} (at most 24 h), per resource. */
    Report report(Duration period);

    @Override
    default Class<? extends Component> kind() {
        return ResourceMonitor.class;
    }

    /** A quota: {@code limit} per key over a sliding {@code window}; the limit above 0, the window positive. */
    record Quota(double limit, Duration window) {
    }

    /** Warning and critical thresholds of a type, in percent: 0 < warning < critical <= 100. */
    record Thresholds(double warning, double critical) {
    }

    /**
     * The immutable settings of a resource monitor. Defaults: the thresholds of each {@link ResourceType}, no quota,
     * no gauge but the JVM's heap, CPU and disk ({@code systemReadings}), no alternatives, gauge readings reused for
     * 5 s, 1,000 readings kept per resource, {@link Clock#system()} and {@link Scheduler#system()}.
     *
     * @param name the monitor's name
     * @param thresholds per type, overriding the type's defaults
     * @param quotas per type, for every key of the type
     * @param keyQuotas per {@code type/key}, overriding the type's quota for that key
     * @param gauges per type: a reading of its usage in percent
     * @param alternatives per {@code type/key}: the keys to use instead, in order of preference
     * @param readingCacheInterval how long a gauge reading is reused, not negative
     * @param historySize readings kept per resource, in [1, 1,000,000]
     * @param systemReadings whether the JVM's heap, CPU and disk gauges are built in
     * @param clock the time source
     * @param scheduler kept for the builder template; the monitor schedules nothing
     */
    record Config(String name, Map<ResourceType, Thresholds> thresholds, Map<ResourceType, Quota> quotas,
                  Map<String, Quota> keyQuotas, Map<ResourceType, DoubleSupplier> gauges,
                  Map<String, List<String>> alternatives, Duration readingCacheInterval, int historySize,
                  boolean systemReadings, Clock clock, Scheduler scheduler) {

        /** Validates every field and copies the maps. */
        public Config {
            String who = "resource monitor '" + Checks.name("resource monitor", name) + "'";
            thresholds.forEach((type, given) -> checkThresholds(who, type, given));
            quotas.forEach((type, quota) -> checkQuota(who, type.name(), quota));
            keyQuotas.forEach((key, quota) -> checkQuota(who, key, quota));
            Checks.notNegative(who, "readingCacheInterval", readingCacheInterval);
            Checks.between(who, "historySize", historySize, 1, 1_000_000);
            thresholds = Map.copyOf(thresholds);
            quotas = Map.copyOf(quotas);
            keyQuotas = Map.copyOf(keyQuotas);
            gauges = Map.copyOf(gauges);
            alternatives = Map.copyOf(alternatives);
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(scheduler, "scheduler");
        }

        private static Thresholds checkThresholds(String who, ResourceType type, Thresholds given) {
            Checks.aboveAndAtMost(who, type + ".warning", given.warning(), 0, 100);
            Checks.aboveAndAtMost(who, type + ".critical", given.critical(), given.warning(), 100);
            return given;
        }

        private static Quota checkQuota(String who, String what, Quota quota) {
            Checks.aboveAndAtMost(who, what + ".limit", quota.limit(), 0, Double.MAX_VALUE);
            Checks.positive(who, what + ".window", quota.window());
            return quota;
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder toBuilder() {
            Builder builder = new Builder(this);
            builder.thresholds.putAll(thresholds);
            builder.quotas.putAll(quotas);
            builder.keyQuotas.putAll(keyQuotas);
            builder.gauges.putAll(gauges);
            builder.alternatives.putAll(alternatives);
            builder.readingCacheInterval = readingCacheInterval;
            builder.historySize = historySize;
            builder.systemReadings = systemReadings;
            return builder;
        }

        /**
         * Builds a {@link Config} or a {@link ResourceMonitor}. Each setting may be given once (per type or key for
         * the per-resource ones); a second call fails naming it. Not thread-safe.
         */
        public static final class Builder extends TimedBuilder<Builder> {
            private final String name;
            private final Map<ResourceType, Thresholds> thresholds = new HashMap<>();
            private final Map<ResourceType, Quota> quotas = new HashMap<>();
            private final Map<String, Quota> keyQuotas = new HashMap<>();
            private final Map<ResourceType, DoubleSupplier> gauges = new HashMap<>();
            private final Map<String, List<String>> alternatives = new HashMap<>();
            private Duration readingCacheInterval = Duration.ofSeconds(5);
            private int historySize = 1_000;
            private boolean systemReadings = true;

            private Builder(String name) {
                this.name = name;
            }

            private Builder(Config config) {
                this(config.name());
                startFrom(config.clock(), config.scheduler());
            }

            @Override
            protected String component() {
                return "resource monitor '" + name + "'";
            }

            /**
             * Warning and critical thresholds for a type, in percent: 0 < warning < critical <= 100.
             *
             * @throws ConfigException at once for thresholds out of range
             */
            public Builder thresholds(ResourceType type, double warning, double critical) {
                given(Objects.requireNonNull(type, "type") + ".thresholds");
                thresholds.put(type, checkThresholds(component(), type, new Thresholds(warning, critical)));
                return this;
            }

            /** A quota of {@code limit} per key over a sliding {@code window}, for every key of the type. */
            public Builder quota(ResourceType type, double limit, Duration window) {
                given(Objects.requireNonNull(type, "type") + ".quota");
                quotas.put(type, checkQuota(component(), type.name(), new Quota(limit, Objects.requireNonNull(window, "window"))));
                return this;
            }

            /** A quota for one key, overriding the type's. */
            public Builder quota(ResourceType type, String key, double limit, Duration window) {
                String id = Objects.requireNonNull(type, "type").name() + "/" + Objects.requireNonNull(key, "key");
                given(id + ".quota");
                keyQuotas.put(id, checkQuota(component(), id, new Quota(limit, Objects.requireNonNull(window, "window"))));
                return this;
            }

            /** A gauge that reads a type's usage in percent (cached for the reading interval). */
            public Builder gauge(ResourceType type, DoubleSupplier usagePercent) {
                given(Objects.requireNonNull(type, "type") + ".gauge");
                gauges.put(type, Objects.requireNonNull(usagePercent, "usagePercent"));
                return this;
            }

            /** The alternatives of {@code key}, in order of preference. */
            public Builder alternatives(ResourceType type, String key, List<String> ordered) {
                String id = Objects.requireNonNull(type, "type").name() + "/" + Objects.requireNonNull(key, "key");
                given(id + ".alternatives");
                alternatives.put(id, List.copyOf(ordered));
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

            /** The settings. @throws ConfigException for an invalid setting */
            public Config buildConfig() {
                return new Config(name, thresholds, quotas, keyQuotas, gauges, alternatives, readingCacheInterval,
                        historySize, systemReadings, configuredClock(), configuredScheduler());
            }

            /** The monitor. @throws ConfigException for an invalid setting */
            public ResourceMonitor build() {
                return ResourceMonitor.of(buildConfig());
            }
        }
    }

    /**
     * One reading of one resource.
     *
     * @param type the resource type
     * @param key the key within the type (a team, a model, an endpoint), empty for the whole type
     * @param status the status the thresholds give
     * @param usagePercent how much is used, in percent (may exceed 100)
     * @param wallMillis when it was read
     */
    public record Reading(ResourceType type, String key, Status status, double usagePercent, long wallMillis) {
    }

    /**
     * Usage over a period, per resource (for example the last 24 h).
     *
     * @param period the period covered: the one asked for, at most 24 h
     * @param resources per {@code type/key}: readings, peak and latest usage, and the worst status seen
     */
    public record Report(Duration period, Map<String, Entry> resources) {
        /** Copies the map. */
        public Report {
            Objects.requireNonNull(period, "period");
            resources = Map.copyOf(resources);
        }

        /**
         * One resource over the period.
         *
         * @param readings readings in the period
         * @param peakPercent the highest usage read
         * @param latestPercent the latest usage read
         * @param worst the worst status seen
         */
        public record Entry(int readings, double peakPercent, double latestPercent, Status worst) {
        }
    }

    /** How much of a resource is left. Ordered from best to worst. */
    public enum Status {
        /** Below the warning threshold. */
        HEALTHY,
        /** At or above the warning threshold. */
        WARNING,
        /** At or above the critical threshold: switch to an alternative, degrade, or queue. */
        CRITICAL,
        /** Used up (100 % or more). */
        EXHAUSTED;

        /** True while the resource may still be used: HEALTHY or WARNING. */
        public boolean usable() {
            return this == HEALTHY || this == WARNING;
        }
    }

    /** What a resource monitor reports: status changes, never every reading. */
    sealed interface Event {

        /** The monitor's name. */
        String name();

        /** A resource's status changed. */
        record StatusChanged(String name, ResourceType type, String key, Status from, Status to,
                             double usagePercent) implements Event {
        }
    }
}
