/**
 * The resource monitor (seed 2's ResourceManager): usage per resource type and key against warning and
 * critical thresholds, quotas over a window, JVM readings, alternatives when a resource runs short, and a
 * report from bounded history.
 */
@NullMarked
package dev.bulwark.resource;

import org.jspecify.annotations.NullMarked;
