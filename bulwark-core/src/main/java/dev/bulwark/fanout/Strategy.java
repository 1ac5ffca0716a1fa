package dev.bulwark.fanout;

/** How a fan-out decides it is done (YAML {@code execution.strategy}; default ALL). */
public enum Strategy {
    /**
     * Waits for every adapter or the deadline, whichever comes first, and combines the successes. Adapters
     * still running at the deadline are cancelled and reported as timed out.
     */
    ALL,
    /** Returns the first success and cancels the other adapters. */
    FIRST_SUCCESS,
    /**
     * Returns whatever has finished by the deadline (or as soon as every adapter has), without waiting for
     * slower adapters: those are cancelled without counting against them and reported as skipped.
     */
    BEST_EFFORT
}
