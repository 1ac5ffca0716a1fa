package dev.bulwark.fallback;

/** Seed 2's fallback strategies; a chain applies the ones it is given in the order given. */
public enum FallbackStrategy {
    /** Call the primary again under the chain's retry policy. */
    RETRY,
    /** Call the alternative providers in order. */
    SWITCH_PROVIDER,
    /** Call the primary again with a degraded request (fewer tokens, a smaller page). */
    DEGRADE_SERVICE,
    /** Put the request in the deferred queue and answer with a ticket. */
    QUEUE_REQUEST,
    /** Answer with the last good result for the request's key, even if stale. */
    USE_CACHE,
    /** Stop here and fail fast: further strategies are not tried. */
    CIRCUIT_BREAK,
    /** Stop here and shed the request: the answer says it was shed. */
    LOAD_SHED
}
