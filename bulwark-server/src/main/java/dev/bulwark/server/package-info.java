/**
 * The Bulwark gateway: one HTTP endpoint that fans a query out to several HTTP backends, each behind its
 * own circuit breaker, timeout and retry, with health and admin endpoints, and demo backends to play with.
 */
@NullMarked
package dev.bulwark.server;

import org.jspecify.annotations.NullMarked;
