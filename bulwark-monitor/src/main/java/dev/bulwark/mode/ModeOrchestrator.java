package dev.bulwark.mode;

import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.event.Registry;
import dev.bulwark.event.Subscription;
import dev.bulwark.health.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decides the system's mode (NORMAL, DEGRADED, EMERGENCY) from what it is fed: call outcomes and latencies
 * (sliding time windows), channel health scores, resource and health status, and operator overrides.
 *
 * <pre>{@code
 * ModeOrchestrator modes = ModeOrchestrator.builder("system").build();
 * Subscription wiring = modes.feedFrom(registry);      // every circuit breaker and health monitor feeds it
 * if (modes.isActive(Mode.EMERGENCY)) { return cachedAnswer(); }
 * }</pre>
 *
 * <p><b>Escalation and cooldown.</b> Any trigger may escalate at once, straight to the worst mode the signals call
 * for, unless the {@code cooldown} (default 30 s) after the last switch is still running; nothing else delays an
 * escalation. An escalation held back by the cooldown publishes {@link ModeEvent.Held} with the cooldown's end.
 * {@link #force} ignores the cooldown.
 *
 * <p><b>Recovery hold.</b> Recovery goes one level at a time. It starts a hold once every signal is better than its
 * threshold by the {@code recoveryMargin} (default 0.8: error rate and mean latency below 80 % of their DEGRADED /
 * EMERGENCY thresholds, channel scores above the thresholds divided by 0.8); the signals must stay that good for
 * the {@code recoveryHold} (default 60 s), then the {@code recoveryProbe} must pass (a failing or throwing probe
 * starts the hold again), and the step down never comes before the cooldown after the last switch has passed. The
 * {@link ModeEvent.Held} event states when the step down can come at the earliest; a signal getting worse again
 * cancels the hold.
 *
 * <p><b>Channels.</b> Each channel's reports are smoothed by an EWMA (weight {@code channelSmoothing}, default
 * 0.3). A channel escalates when its smoothed score is below a threshold (DEGRADED below 0.5, EMERGENCY below 0.2
 * by default) and has either dropped more than the {@code qosHysteresis} (default 0.1) from its reference (its last
 * score at or above the DEGRADED threshold, or the score at which it last triggered a switch) or stayed below that
 * threshold for the {@code channelSustain} period (default 30 s).
 *
 * <p>Recording takes no lock; the mode is re-evaluated at most once per evaluation interval (default 1 s), or on
 * {@link #evaluate()}. This interface's implementation is thread-safe.
 */
public interface ModeOrchestrator extends Component, EventSource<ModeEvent> {

    /** A builder for an orchestrator called {@code name}. */
    static ModeConfig.Builder builder(String name) {
        return ModeConfig.builder(name);
    }

    /** This orchestrator's settings. */
    ModeConfig config();

    /** A call that succeeded after {@code latencyNanos} (negative when not measured). */
    void recordSuccess(long latencyNanos);

    /** A call that failed after {@code latencyNanos} (negative when not measured). */
    void recordFailure(long latencyNanos);

    /** A named channel's health score in [0, 1] (a circuit breaker's health score, a link's QoS...). */
    void reportChannel(String channel, double score);

    /** A resource's state as the mode it implies (NORMAL when fine); the worst resource counts. */
    void reportResource(String resource, Mode implied);

    /** The health monitor's aggregate: DEGRADED means DEGRADED, UNHEALTHY means EMERGENCY. */
    void reportHealth(HealthStatus status);

    /** Forces at least {@code mode} until {@link #release()}, at once and regardless of the cooldown. */
    void force(Mode mode, String reason);

    /** Ends a {@link #force}; the mode then recovers like any other. */
    void release();

    /** Re-evaluates the triggers now. */
    void evaluate();

    /**
     * Re-evaluates every evaluation interval on the scheduler, so the mode recovers even when no call arrives.
     * Starting twice does nothing.
     */
    void start();

    /** Stops the periodic evaluation; nothing is left scheduled. */
    void stop();

    /**
     * The signals as the triggers see them now, the same keys as {@link ModeChange#snapshot()}: {@code calls} (calls
     * in the error-rate window), {@code errorRate} (failure share in [0, 1], present once the window holds
     * {@code minimumCalls}), {@code latencySamples} (latencies in the performance window), {@code meanLatencyMillis}
     * (present once the window holds {@code minimumLatencySamples}) and {@code channel:<name>} (each channel's
     * smoothed score in [0, 1]). Resource, health and forced modes are not metrics; they show in a change's trigger
     * and reason.
     */
    java.util.Map<String, Double> metrics();

    /** The current mode. */
    Mode mode();

    /** True when the current mode is at least {@code mode}: one volatile read, for hot paths downstream. */
    boolean isActive(Mode mode);

    /** The change that put the system in its current non-NORMAL mode; empty in NORMAL. */
    Optional<ModeChange> notification();

    /** Completes when the mode reaches at least {@code mode} (at once if it already has). */
    CompletionStage<ModeChange> whenActive(Mode mode);

    /**
     * Blocks until the mode reaches at least {@code mode} or {@code timeout} passes.
     *
     * @return whether the mode was reached
     */
    boolean awaitActive(Mode mode, Duration timeout) throws InterruptedException;

    /** Recent mode changes, oldest first, bounded by {@code historySize}. */
    List<ModeChange> history();

    /**
     * Feeds this orchestrator from every circuit breaker (outcomes, latencies, and its state and health score
     * as channel {@code circuit:<name>}) and health monitor in {@code registry}, now and as they are registered.
     * Cancel the subscription to stop.
     */
    Subscription feedFrom(Registry registry);

    @Override
    default Class<? extends Component> kind() {
        return ModeOrchestrator.class;
    }
}
