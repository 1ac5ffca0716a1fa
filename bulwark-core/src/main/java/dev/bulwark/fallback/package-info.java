/**
 * Fallback protocols (seed 2): a bounded result cache that serves stale values when the dependency fails,
 * and a load shedder that refuses lower-priority work first when resources or concurrency run short.
 */
@NullMarked
package dev.bulwark.fallback;

import org.jspecify.annotations.NullMarked;
