package dev.bulwark.resource;

/** How much of a resource is left. Ordered from best to worst. */
public enum ResourceStatus {
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
