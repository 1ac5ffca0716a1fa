package dev.bulwark.redis;

import java.util.Objects;

/**
 * Whether shared state on Redis is in sync. {@link Status#DEGRADED} never fails a call: every instance keeps deciding
 * on its local breakers and resynchronises (re-reads the shared verdicts, republishes its own) when Redis answers
 * again.
 *
 * @param status HEALTHY while Redis answers, DEGRADED from the first failed exchange until the resynchronisation after
 *     Redis answers again
 * @param sinceWallMillis when the status last changed, wall-clock milliseconds of the configured clock
 * @param redisErrors Redis exchanges that failed or timed out since start
 * @param lastError the last failure's description, empty when none
 */
public record SharedStateHealth(Status status, long sinceWallMillis, long redisErrors, String lastError) {

    /** Checks the fields. */
    public SharedStateHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastError, "lastError");
    }

    /** True when Redis answers and this instance's view is resynchronised. */
    public boolean healthy() {
        return status == Status.HEALTHY;
    }

    /** The health states. */
    public enum Status {
        /** Redis answers; verdicts and counts are shared. */
        HEALTHY,
        /** Redis fails or is unreachable; breakers decide on local state only. */
        DEGRADED
    }
}
