package dev.bulwark.hedge;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import java.time.Duration;

/**
 * Cuts tail latency: if a call has not finished after a delay, a backup attempt starts alongside it (up to
 * {@code maxHedges} backups); the first success wins and every other attempt is cancelled. A failed
 * attempt starts the next backup at once. The delay is fixed, or a percentile of recent successful
 * latencies (e.g. p95) once enough have been seen.
 *
 * <p>Hedge only idempotent calls. Synchronous attempts run side by side on the configured executor (default:
 * Bulwark's shared cached pool of daemon threads).
 * This interface's implementation is thread-safe.
 */
public interface Hedge extends Policy, EventSource<Hedge.Event> {

    /** A builder for a hedge called {@code name} that starts a backup after {@code delay}. */
    static HedgeConfig.Builder builder(String name, Duration delay) {
        return HedgeConfig.builder(name).delay(delay);
    }

    /** A builder for a hedge called {@code name}; its {@code delay} must be given. */
    static HedgeConfig.Builder builder(String name) {
        return HedgeConfig.builder(name);
    }

    /** A hedge with the given config. */
    static Hedge of(HedgeConfig config) {
        return new DefaultHedge(config);
    }

    /** This hedge's settings. */
    HedgeConfig config();

    /** Backup attempts started so far. */
    long hedgesStarted();

    /** Calls won by a backup attempt. */
    long hedgeWins();

    /** The delay the next call would wait before its first backup. */
    Duration currentDelay();

    @Override
    default Class<? extends Component> kind() {
        return Hedge.class;
    }

    /** What a hedge reports. */
    sealed interface Event {

        /** The hedge's name. */
        String name();

        /** Backup attempt {@code attempt} (2 for the first backup) started because the call was slow or an attempt failed. */
        record BackupStarted(String name, int attempt) implements Event {
        }

        /** Attempt {@code attempt} won the race; the others were cancelled. */
        record Won(String name, int attempt) implements Event {
        }
    }
}
