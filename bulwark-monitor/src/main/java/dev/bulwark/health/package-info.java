/**
 * The health monitor: checks run on a schedule with timeouts, critical and
 * non-critical, an aggregate status, alerts on status changes, bounded history, and built-in checks for
 * the JVM and the registry's circuit breakers.
 */
@NullMarked
package dev.bulwark.health;

import org.jspecify.annotations.NullMarked;
