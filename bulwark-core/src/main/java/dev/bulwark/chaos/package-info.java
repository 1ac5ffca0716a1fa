/**
 * Fault injection for resilience tests and demos: latency, exceptions and substituted results, each
 * with a probability, behind an on/off switch, and seeded so a failing test can be replayed.
 */
@NullMarked
package dev.bulwark.chaos;

import org.jspecify.annotations.NullMarked;
