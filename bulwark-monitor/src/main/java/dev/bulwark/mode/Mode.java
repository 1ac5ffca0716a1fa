package dev.bulwark.mode;

/** System-wide operating modes, from best to worst. */
public enum Mode {
    /** Everything as usual. */
    NORMAL,
    /** Shed optional work, prefer cheaper paths. */
    DEGRADED,
    /** Fall back to the minimal safe behaviour. */
    EMERGENCY;

    /** True when this mode is at least as severe as {@code other}. */
    public boolean atLeast(Mode other) {
        return compareTo(other) >= 0;
    }

    /** One level better, or NORMAL. */
    Mode oneBetter() {
        return this == NORMAL ? NORMAL : values()[ordinal() - 1];
    }
}
