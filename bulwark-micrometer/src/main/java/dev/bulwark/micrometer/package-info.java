/**
 * Micrometer meters for Bulwark: {@link dev.bulwark.micrometer.BulwarkMetrics} binds every component of a registry,
 * one label-based meter family per kind of component.
 */
@NullMarked
package dev.bulwark.micrometer;

import org.jspecify.annotations.NullMarked;
