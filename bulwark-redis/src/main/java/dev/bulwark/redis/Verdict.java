package dev.bulwark.redis;

import org.jspecify.annotations.Nullable;

/**
 * One message on the verdict channel: {@code KIND untilWallMillis instanceId breakerName} (the name last, so it may
 * hold spaces).
 *
 * @param kind what was decided
 * @param untilWallMillis for OPEN and RATE, when the open period ends (wall-clock milliseconds); 0 for CLOSED
 * @param instanceId who decided ({@link #CLUSTER} for the cluster-wide failure rate)
 * @param breaker the breaker's name
 */
record Verdict(Kind kind, long untilWallMillis, String instanceId, String breaker) {

    /** The voter name of the cluster-wide failure-rate verdict in the votes set. */
    static final String CLUSTER = "~cluster";

    enum Kind {
        /** One instance's own breaker opened (a vote, weighed by the policy). */
        OPEN,
        /** The cluster-wide failure rate crossed the threshold: every instance opens. */
        RATE,
        /** A half-open probe succeeded: every instance closes. */
        CLOSED
    }

    String encode() {
        return kind + " " + untilWallMillis + " " + instanceId + " " + breaker;
    }

    /** The verdict in {@code message}, or null if it is not one (another publisher on the channel). */
    static @Nullable Verdict decode(String message) {
        String[] parts = message.split(" ", 4);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Verdict(Kind.valueOf(parts[0]), Long.parseLong(parts[1]), parts[2], parts[3]);
        } catch (IllegalArgumentException notAVerdict) {
            return null;
        }
    }
}
