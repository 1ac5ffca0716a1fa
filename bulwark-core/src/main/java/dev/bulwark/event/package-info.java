/**
 * Observation: listeners for each component's typed events, and the {@link dev.bulwark.event.Registry}
 * of named components through which metrics, the admin API and configuration find what is running.
 */
@NullMarked
package dev.bulwark.event;

import org.jspecify.annotations.NullMarked;
