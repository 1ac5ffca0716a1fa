/**
 * Concurrency limits: a semaphore {@link dev.bulwark.bulkhead.Bulkhead} with an optional bounded wait,
 * and an {@link dev.bulwark.bulkhead.AdaptiveLimiter} whose limit follows observed latency and drops
 * (AIMD or a latency gradient). Neither ever loses a permit, whatever happens to the call.
 */
@NullMarked
package dev.bulwark.bulkhead;

import org.jspecify.annotations.NullMarked;
