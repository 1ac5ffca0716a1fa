package dev.bulwark.fallback;

import java.util.List;

/**
 * How one execution of a fallback chain or policy ended, published to its listeners so that metrics can
 * count answers by the path that produced them (served, retried, switched, degraded, queued, cached, shed).
 *
 * @param name the chain's or policy's name
 * @param outcome how the execution ended
 * @param trail what was tried, in order
 */
public record FallbackEvent(String name, FallbackResult.Outcome outcome, List<String> trail) {

    /** Copies the trail. */
    public FallbackEvent {
        trail = List.copyOf(trail);
    }
}
