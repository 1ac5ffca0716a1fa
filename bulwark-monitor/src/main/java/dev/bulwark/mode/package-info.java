/**
 * The mode orchestrator: system-wide NORMAL / DEGRADED / EMERGENCY modes,
 * switched by error-rate, latency, channel-health, resource and health triggers over sliding time windows,
 * with a cooldown and a recovery hysteresis that cooperate, and a downstream flag code can check cheaply.
 */
@NullMarked
package dev.bulwark.mode;

import org.jspecify.annotations.NullMarked;
