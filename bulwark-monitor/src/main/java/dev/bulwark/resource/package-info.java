/**
 * The resource monitor: usage per resource type and key against warning and
 * critical thresholds, quotas over a window, JVM readings, alternatives when a resource runs short, and a
 * report from bounded history. {@link dev.bulwark.resource.ResourceGate} refuses calls while a resource is
 * constrained (a failure a fallback outside it handles) and {@link dev.bulwark.resource.ResourceMonitor#pressure} lets a
 * load shedder shed by a resource's status.
 */
@NullMarked
package dev.bulwark.resource;

import org.jspecify.annotations.NullMarked;
