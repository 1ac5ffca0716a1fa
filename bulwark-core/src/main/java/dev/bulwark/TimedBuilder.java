package dev.bulwark;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The base of every builder whose component reads time: it holds the time settings and the rule that each setting
 * is given at most once. Bulwark's own builders (retry, timeout, bulkhead, rate limiter, hedge, chaos, fan-out,
 * the monitors, failover groups) extend it, and so may the builders of your own components.
 *
 * <ul>
 *   <li><b>Defaults:</b> the clock is {@link Clock#system()} and the scheduler, which runs the component's waits and
 *       timers, is {@link Scheduler#system()}. Tests give a {@link dev.bulwark.time.ManualClock} to both with
 *       {@link #clockAndScheduler}.</li>
 *   <li><b>Given once:</b> a setting given a second time fails with a {@link ConfigException} naming the component
 *       (from {@link #component()}) and the setting, whose value is {@code "given twice"}. This holds for
 *       {@code clock} and {@code scheduler} and for every setting a subclass marks with {@link #given(String)}.</li>
 *   <li><b>Derived builders:</b> a builder made from a config ({@code config.toBuilder()}) starts from the config's
 *       clock and scheduler through {@link #startFrom}, none of them given yet, so each may be overridden once.</li>
 *   <li>Not thread-safe: a builder is filled by one thread.</li>
 * </ul>
 *
 * @param <B> the concrete builder, which every setter returns for chaining
 */
public abstract class TimedBuilder<B extends TimedBuilder<B>> {
    private final Set<String> given = new HashSet<>();
    private Clock clock = Clock.system();
    private Scheduler scheduler = Scheduler.system();

    /** A builder with the default clock and scheduler, nothing given yet. */
    protected TimedBuilder() {
    }

    /**
     * The time source (default {@link Clock#system()}).
     *
     * @throws ConfigException if the clock was given before
     */
    public final B clock(Clock clock) {
        given("clock");
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * What the component's waits and timers run on (default {@link Scheduler#system()}).
     *
     * @throws ConfigException if the scheduler was given before
     */
    public final B scheduler(Scheduler scheduler) {
        given("scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return self();
    }

    /**
     * Gives one object, typically a {@link dev.bulwark.time.ManualClock}, as both clock and scheduler.
     *
     * @throws ConfigException if the clock or the scheduler was given before
     */
    public final <T extends Clock & Scheduler> B clockAndScheduler(T clockAndScheduler) {
        return clock(clockAndScheduler).scheduler(clockAndScheduler);
    }

    /** The clock given, started from, or the default: what the built component reads. */
    protected final Clock configuredClock() {
        return clock;
    }

    /** The scheduler given, started from, or the default: what the built component waits on. */
    protected final Scheduler configuredScheduler() {
        return scheduler;
    }

    /** Starts from a config's clock and scheduler without counting them as given: for {@code toBuilder()}. */
    protected final void startFrom(Clock clock, Scheduler scheduler) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Records that the subclass's {@code setting} was given; call it first in each setter.
     *
     * @throws ConfigException naming {@link #component()} and {@code setting} if it was given before
     */
    protected final void given(String setting) {
        if (!given.add(setting)) {
            throw new ConfigException(component(), setting, "given twice", "given at most once");
        }
    }

    /** What is being built, for error messages, e.g. {@code timeout 'payments'}. */
    protected abstract String component();

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
