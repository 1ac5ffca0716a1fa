package dev.bulwark.redis;

import dev.bulwark.RejectedException;

/** Thrown when a cluster limit refuses a call: {@code cluster limit 'team-a' refused the call (no token left)}. */
public final class ClusterLimitExceededException extends RejectedException {
    private static final long serialVersionUID = 1L;

    ClusterLimitExceededException(String name) {
        super(name, null);
    }

    @Override
    public String getMessage() {
        return "cluster limit '" + component() + "' refused the call (no token left)";
    }
}
