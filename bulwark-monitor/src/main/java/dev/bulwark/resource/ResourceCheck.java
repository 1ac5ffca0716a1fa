package dev.bulwark.resource;

/**
 * One reading of one resource.
 *
 * @param type the resource type
 * @param key the key within the type (a team, a model, an endpoint), empty for the whole type
 * @param status the status the thresholds give
 * @param usagePercent how much is used, in percent (may exceed 100)
 * @param wallMillis when it was read
 */
public record ResourceCheck(ResourceType type, String key, ResourceStatus status, double usagePercent, long wallMillis) {
}
