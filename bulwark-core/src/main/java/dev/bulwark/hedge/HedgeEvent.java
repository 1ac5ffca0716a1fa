package dev.bulwark.hedge;

/** What a hedge reports. */
public sealed interface HedgeEvent {

    /** The hedge's name. */
    String name();

    /** Backup attempt {@code attempt} (2 for the first backup) started because the call was slow or an attempt failed. */
    record BackupStarted(String name, int attempt) implements HedgeEvent {
    }

    /** Attempt {@code attempt} won the race; the others were cancelled. */
    record Won(String name, int attempt) implements HedgeEvent {
    }
}
