package dev.bulwark.reconcile;

/** How a reconciled point came to be; {@link #label()} is the flag written with each point. */
public enum Quality {
    /** Only one source reported this timestamp within the comparison window. */
    SINGLE_SOURCE("single_source"),
    /** Both sources agreed within the tolerance: the primary's value. */
    DEDUPLICATED("deduplicated"),
    /** Both sources reported but disagreed: their average, flagged for review. */
    AVERAGED_DUAL_SOURCE("averaged_dual_source"),
    /** No source reported it: filled in linearly between its neighbours. */
    INTERPOLATED("interpolated");

    private final String label;

    Quality(String label) {
        this.label = label;
    }

    /** The snake-case flag, e.g. {@code averaged_dual_source}. */
    public String label() {
        return label;
    }
}
