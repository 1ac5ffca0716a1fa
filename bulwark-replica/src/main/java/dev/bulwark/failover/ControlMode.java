package dev.bulwark.failover;

/** Who decides about standbys and switches. AUTO and MANUAL exclude each other. */
public enum ControlMode {
    /** Nothing automatic: signals are scored and reported only. */
    OFF,
    /** Standbys on high risk, promotion or emergency recovery on imminent loss or health failure. */
    AUTO,
    /** A hot standby is kept at all times; the operator switches; imminent loss still promotes the standby. */
    MANUAL
}
