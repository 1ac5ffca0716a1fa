/**
 * Deferred queues: requests put aside while a dependency is unavailable, to be processed once it recovers, in
 * memory or in a crash-safe journal that delivers at least once, with a drainer that works them off; and
 * {@link dev.bulwark.queue.QueueForLater}, the fallback strategy that queues a failed call.
 */
@NullMarked
package dev.bulwark.queue;

import org.jspecify.annotations.NullMarked;
