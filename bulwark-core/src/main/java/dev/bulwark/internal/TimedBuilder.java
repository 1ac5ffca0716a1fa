package dev.bulwark.internal;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.util.Objects;

/**
 * The time settings every component builder shares: a clock (default {@link Clock#system()}) and a
 * scheduler for waits and timers (default {@link Scheduler#system()}), and the rule that a setting is given at
 * most once: the second call of a setter fails with a {@link dev.bulwark.ConfigException} naming the setting.
 * A builder derived from a config ({@code config.toBuilder()}) starts from the config's values, none of them
 * given yet, so each may be overridden once.
 *
 * @param <B> the concrete builder, returned by each setter for chaining
 */
public abstract class TimedBuilder<B extends TimedBuilder<B>> {
    private Clock clock = Clock.system();
    private Scheduler scheduler = Scheduler.system();
    private final GivenSettings given = new GivenSettings();

    /** For subclasses. */
    protected TimedBuilder() {
    }

    /** The time source (default {@link Clock#system()}). */
    public final B clock(Clock clock) {
        given("clock");
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** What waits and timers run on (default {@link Scheduler#system()}). */
    public final B scheduler(Scheduler scheduler) {
        given("scheduler");
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

    /**
     * Records that {@code setting} was given.
     *
     * @throws dev.bulwark.ConfigException naming the setting if it was given before
     */
    protected final void given(String setting) {
        given.mark(component(), setting);
    }

    /** Starts from a config's clock and scheduler without counting them as given. */
    public final void startFrom(Clock clock, Scheduler scheduler) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** What is being built, for error messages, e.g. {@code timeout 'payments'}. */
    protected String component() {
        return getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
