package dev.bulwark.failover;

/**
 * One switch of primary.
 *
 * @param kind how it happened
 * @param durationNanos from the signal to traffic on the new primary
 * @param wallMillis when it completed
 * @param reason the signal that caused it
 */
public record FailoverRecord(Kind kind, long durationNanos, long wallMillis, String reason) {

    /** The two automatic paths (promotion, emergency recovery), and the operator's switch. */
    public enum Kind {
        /** A ready standby was promoted: the fast path. */
        PROMOTED,
        /** No standby was ready: a new instance was created, restored and switched to. */
        EMERGENCY_RECOVERY,
        /** The operator switched to the standby (manual mode). */
        MANUAL_SWITCH
    }
}
