/**
 * The one source of time in Bulwark. Every time-dependent component takes a {@link dev.bulwark.time.Clock}
 * (and, where it waits, a {@link dev.bulwark.time.Scheduler}), so that tests advance a
 * {@link dev.bulwark.time.ManualClock} instead of sleeping.
 */
@NullMarked
package dev.bulwark.time;

import org.jspecify.annotations.NullMarked;
