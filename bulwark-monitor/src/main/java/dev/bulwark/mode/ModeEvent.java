package dev.bulwark.mode;

/** What a mode orchestrator reports. */
public sealed interface ModeEvent {

    /** The orchestrator's name. */
    String name();

    /** The mode changed. */
    record Changed(String name, ModeChange change) implements ModeEvent {
    }

    /** A switch was due but held back until {@code untilWallMillis}, by the cooldown or the recovery hold. */
    record Held(String name, Mode wanted, String because, long untilWallMillis) implements ModeEvent {
    }
}
