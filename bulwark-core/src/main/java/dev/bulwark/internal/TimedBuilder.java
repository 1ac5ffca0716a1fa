package dev.bulwark.internal;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.util.Objects;

/**
 * The time settings every component builder shares: a clock (default {@link Clock#system()}) and a
 * scheduler for waits and timers (default {@link Scheduler#system()}).
 *
 * @param <B> the concrete builder, returned by each setter for chaining
 */
public abstract class TimedBuilder<B extends TimedBuilder<B>> {
    private Clock clock = Clock.system();
    private Scheduler scheduler = Scheduler.system();

    /** For subclasses. */
    protected TimedBuilder() {
    }

    /** The time source (default {@link Clock#system()}). */
    public final B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** What waits and timers run on (default {@link Scheduler#system()}). */
    public final B scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return self();
    }

    /** Uses a {@link dev.bulwark.time.ManualClock} (or any clock that is also a scheduler) for both. */
    public final <T extends Clock & Scheduler> B clockAndScheduler(T clockAndScheduler) {
        return clock(clockAndScheduler).scheduler(clockAndScheduler);
    }

    /** The clock set so far. */
    public final Clock configuredClock() {
        return clock;
    }

    /** The scheduler set so far. */
    public final Scheduler configuredScheduler() {
        return scheduler;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
