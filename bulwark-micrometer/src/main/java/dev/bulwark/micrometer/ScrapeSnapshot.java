package dev.bulwark.micrometer;

import dev.bulwark.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One component's stats shared by the meters that show parts of them, so a scrape takes one snapshot per component
 * instead of one per meter. A meter reuses the current snapshot only if it has not shown it yet and the snapshot is
 * younger than {@link #MAX_AGE_NANOS} on the component's clock; otherwise it takes a fresh one for everybody. A
 * scrape reads every meter once, so it starts with a fresh snapshot and its meters share it; a meter read again and
 * again alone is exact each time; and no meter ever shows figures older than its own previous read or older than
 * one second. Once every meter has shown a snapshot it is dropped, so nothing is held between scrapes.
 *
 * <p>This class is thread-safe: concurrent scrapes share snapshots under one lock per component.
 *
 * @param <S> the stats type
 */
final class ScrapeSnapshot<S> {
    /** How long a snapshot left by a partial read may serve the other meters: longer than a large scrape takes. */
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final Supplier<S> source;
    private final Clock clock;
    private final int everyMeter;
    private @Nullable S current; // guarded by this
    private long takenNanos; // guarded by this: coarse reading when current was taken
    private int shownBy; // guarded by this: one bit per meter that showed current

    /** Stats read through {@code source}, shared by {@code meters} meters (1 to 31), aged on {@code clock}. */
    ScrapeSnapshot(Supplier<S> source, Clock clock, int meters) {
        if (meters < 1 || meters >= Integer.SIZE) {
            throw new IllegalArgumentException("meters must be in [1, 31], was " + meters);
        }
        this.source = source;
        this.clock = clock;
        this.everyMeter = (1 << meters) - 1;
    }

    /** The stats for meter {@code meter} (0-based) to show. */
    synchronized S forMeter(int meter) {
        int bit = 1 << meter;
        long now = clock.coarseNanoTime();
        S stats = current;
        if (stats == null || (shownBy & bit) != 0 || now - takenNanos >= MAX_AGE_NANOS) {
            stats = source.get();
            takenNanos = now;
            shownBy = 0;
        }
        shownBy |= bit;
        current = shownBy == everyMeter ? null : stats;
        return stats;
    }
}
