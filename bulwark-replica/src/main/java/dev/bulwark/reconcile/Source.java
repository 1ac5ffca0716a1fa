package dev.bulwark.reconcile;

/** Which side a reading came from. */
public enum Source {
    /** The authoritative source: wins when both agree. */
    PRIMARY,
    /** The redundant source. */
    REPLICA
}
