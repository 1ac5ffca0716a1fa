package dev.bulwark.circuit;

/**
 * One state change, as kept in a circuit's bounded history.
 *
 * @param from the state left
 * @param to the state entered
 * @param reason why
 * @param wallMillis when, in milliseconds since the epoch
 */
public record Transition(CircuitState from, CircuitState to, TransitionReason reason, long wallMillis) {
}
