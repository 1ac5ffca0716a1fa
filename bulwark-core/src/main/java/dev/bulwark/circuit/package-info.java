/**
 * The circuit breaker: stops calling a dependency that keeps failing, probes it after a growing open
 * period, and closes again once probes succeed. Count- and time-based windows, consecutive-failure,
 * failure-rate and slow-call thresholds, an EWMA-adaptive threshold and a health score.
 */
@NullMarked
package dev.bulwark.circuit;

import org.jspecify.annotations.NullMarked;
