package dev.bulwark.mode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the orchestrator is fed, and what mode it calls for: the sliding windows of calls and latencies,
 * the channels, resources, health and any forced mode. Channel state is guarded by the orchestrator's lock;
 * the windows take no lock.
 */
final class Signals {
    record Verdict(Mode mode, ModeChange.Trigger trigger, String reason, List<String> channels) {
    }

    private final ModeOrchestrator.Config config;
    private final SlidingCounts errors;
    private final SlidingCounts latencies;
    private final Map<String, ChannelScore> channels = new LinkedHashMap<>();
    private final Map<String, Mode> resources = new ConcurrentHashMap<>();
    private volatile Mode health = Mode.NORMAL;
    private volatile @Nullable Mode forced;
    private volatile String forcedReason = "";

    Signals(ModeOrchestrator.Config config, long nowNanos) {
        this.config = config;
        this.errors = new SlidingCounts((int) config.errorRateWindow().toSeconds(), nowNanos);
        this.latencies = new SlidingCounts((int) config.performanceWindow().toSeconds(), nowNanos);
    }

    void record(long nowNanos, boolean failed, long latencyNanos) {
        errors.add(nowNanos, true, failed, -1L);
        if (latencyNanos >= 0) {
            latencies.add(nowNanos, false, false, latencyNanos);
        }
    }

    /** Under the orchestrator's lock. */
    void reportChannel(String channel, double score, double smoothing, long nowNanos) {
        channels.computeIfAbsent(channel, key -> new ChannelScore(smoothing, config.channelHealthThreshold(),
                config.channelEmergencyThreshold())).report(score, nowNanos);
    }

    /** Under the orchestrator's lock: these channels caused a switch. */
    void triggered(List<String> names) {
        names.forEach(name -> java.util.Objects.requireNonNull(channels.get(name), name).triggered());
    }

    void reportResource(String resource, Mode implied) {
        resources.put(resource, implied);
    }

    void reportHealth(Mode implied) {
        health = implied;
    }

    void force(@Nullable Mode mode, String reason) {
        forcedReason = reason;
        forced = mode;
    }

    /**
     * The mode the signals call for. {@code scale} multiplies the thresholds (1 to escalate, the recovery
     * margin to recover); channels must also clear the QoS hysteresis to escalate.
     */
    Verdict assess(long now, double scale, boolean escalating, Map<String, Double> snapshot) {
        Mode worst = Mode.NORMAL;
        ModeChange.Trigger trigger = ModeChange.Trigger.RECOVERY;
        String reason = "all signals within thresholds";
        List<String> triggeringChannels = new ArrayList<>();

        SlidingCounts.Totals calls = errors.totals(now);
        snapshot.put("calls", (double) calls.calls());
        if (calls.calls() >= config.minimumCalls()) {
            double rate = calls.errorRatePercent();
            snapshot.put("errorRatePercent", rate);
            Mode implied = rate >= config.errorRateEmergency() * scale ? Mode.EMERGENCY
                    : rate >= config.errorRateDegraded() * scale ? Mode.DEGRADED : Mode.NORMAL;
            if (implied.compareTo(worst) > 0) {
                worst = implied;
                trigger = ModeChange.Trigger.ERROR_RATE;
                reason = String.format(Locale.ROOT, "error rate %.1f %% over %d calls in %d s", rate,
                        calls.calls(), config.errorRateWindow().toSeconds());
            }
        }
        SlidingCounts.Totals latency = latencies.totals(now);
        snapshot.put("latencySamples", (double) latency.latencies());
        if (latency.latencies() >= config.minimumLatencySamples()) {
            double mean = latency.meanLatencyMillis();
            snapshot.put("meanLatencyMillis", mean);
            Mode implied = mean >= config.latencyEmergency().toMillis() * scale ? Mode.EMERGENCY
                    : mean >= config.latencyDegraded().toMillis() * scale ? Mode.DEGRADED : Mode.NORMAL;
            if (implied.compareTo(worst) > 0) {
                worst = implied;
                trigger = ModeChange.Trigger.PERFORMANCE;
                reason = String.format(Locale.ROOT, "mean latency %.0f ms over %d samples", mean, latency.latencies());
            }
        }
        for (Map.Entry<String, ChannelScore> entry : channels.entrySet()) {
            ChannelScore channel = entry.getValue();
            snapshot.put("channel:" + entry.getKey(), channel.smoothed());
            double emergencyBelow = escalating ? config.channelEmergencyThreshold() : config.channelEmergencyThreshold() / scale;
            double degradedBelow = escalating ? config.channelHealthThreshold() : config.channelHealthThreshold() / scale;
            Mode implied;
            if (escalating) {
                long sustain = config.channelSustain().toNanos();
                implied = channel.escalates(true, config.qosHysteresis(), sustain, now) ? Mode.EMERGENCY
                        : channel.escalates(false, config.qosHysteresis(), sustain, now) ? Mode.DEGRADED : Mode.NORMAL;
            } else {
                implied = channel.below(emergencyBelow) ? Mode.EMERGENCY
                        : channel.below(degradedBelow) ? Mode.DEGRADED : Mode.NORMAL;
            }
            if (implied.compareTo(worst) > 0) {
                worst = implied;
                trigger = ModeChange.Trigger.CHANNEL;
                reason = String.format(Locale.ROOT, "channel '%s' health %.2f", entry.getKey(), channel.smoothed());
            }
            if (implied != Mode.NORMAL) {
                triggeringChannels.add(entry.getKey());
            }
        }
        for (Map.Entry<String, Mode> resource : resources.entrySet()) {
            if (resource.getValue().compareTo(worst) > 0) {
                worst = resource.getValue();
                trigger = ModeChange.Trigger.RESOURCE;
                reason = "resource '" + resource.getKey() + "' implies " + resource.getValue();
            }
        }
        if (health.compareTo(worst) > 0) {
            worst = health;
            trigger = ModeChange.Trigger.HEALTH;
            reason = "health monitor implies " + health;
        }
        Mode manual = forced;
        if (manual != null && manual.compareTo(worst) >= 0) {
            worst = manual;
            trigger = ModeChange.Trigger.MANUAL;
            reason = "forced: " + forcedReason;
        }
        return new Verdict(worst, trigger, reason, triggeringChannels);
    }
}
