package dev.bulwark.fallback;

import java.util.List;

/**
 * How one execution of a {@link Fallback} ended, published to its listeners so that metrics can count answers by
 * the path that produced them (served, switched, degraded, queued, cached, substituted, shed, failed). Published
 * for every execution but those ended by an error or a cancellation. Immutable.
 *
 * @param name the fallback's name
 * @param outcome how the execution ended
 * @param trail what was tried, in order
 */
public record FallbackEvent(String name, FallbackResult.Outcome outcome, List<String> trail) {

    /** Copies the trail. */
    public FallbackEvent {
        trail = List.copyOf(trail);
    }
}
