/**
 * Fallback protocols (seed 2): what to do when a call fails or its resource runs short. {@link
 * dev.bulwark.fallback.FallbackPolicy} applies the seed's strategies (retry, switch provider, degrade, queue, cache,
 * circuit break, load shed) in order to any call, as a policy; {@link dev.bulwark.fallback.FallbackChain} does the
 * same for typed requests. Their parts stand alone too: a bounded result cache that serves stale values when the
 * dependency fails, deferred queues (in memory, or a crash-safe journal delivering at least once) with a drainer
 * that works them off once the resource recovers, and a load shedder that refuses lower-priority work first.
 */
@NullMarked
package dev.bulwark.fallback;

import org.jspecify.annotations.NullMarked;
