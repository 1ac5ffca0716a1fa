/**
 * Cluster-wide state on Redis, local-first: every call decides on local state; what instances share travels through
 * Redis in the background, so a slow or absent Redis never delays or fails a call.
 */
@NullMarked
package dev.bulwark.redis;

import org.jspecify.annotations.NullMarked;
