package dev.bulwark.failover;

/** What a failover group reports, with how long each step took. */
public sealed interface FailoverEvent {

    /** The group's name. */
    String name();

    /** An early warning was scored; {@code provisioning} when it led to a hot standby. */
    record RiskAssessed(String name, double risk, boolean provisioning) implements FailoverEvent {
    }

    /** A standby became ready {@code readyNanos} after its creation started. */
    record StandbyReady(String name, long readyNanos) implements FailoverEvent {
    }

    /** Traffic moved to a new primary. */
    record Switched(String name, FailoverGroup.Switch record) implements FailoverEvent {
    }

    /** A failover could not complete; the previous primary is still current. */
    record Failed(String name, String reason) implements FailoverEvent {
    }

    /** The control mode changed. */
    record ModeChanged(String name, FailoverGroup.ControlMode from, FailoverGroup.ControlMode to) implements FailoverEvent {
    }
}
