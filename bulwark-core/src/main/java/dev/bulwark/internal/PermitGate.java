package dev.bulwark.internal;

/**
 * A limit whose free permits a component can take without a pipeline around the call: the fan-out takes one
 * from its global limit and calls the adapter directly when the adapter has no policy of its own. Taking a
 * permit follows the limit's own rule (never ahead of a waiter); every permit taken is released exactly once.
 */
public interface PermitGate {

    /** Takes a permit if one is free and nobody waits for one; false otherwise (then use the limit as a policy). */
    boolean tryAcquirePermit();

    /** Returns a permit taken with {@link #tryAcquirePermit()}, handing it to the oldest waiter if there is one. */
    void releasePermit();
}
