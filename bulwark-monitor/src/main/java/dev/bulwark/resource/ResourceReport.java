package dev.bulwark.resource;

import java.util.Map;

/**
 * Usage over a period, per resource (for example the last 24 h).
 *
 * @param periodMillis the period covered
 * @param resources per {@code type/key}: readings, peak and latest usage, and the worst status seen
 */
public record ResourceReport(long periodMillis, Map<String, Entry> resources) {
    /** Copies the map. */
    public ResourceReport {
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
    public record Entry(int readings, double peakPercent, double latestPercent, ResourceStatus worst) {
    }
}
