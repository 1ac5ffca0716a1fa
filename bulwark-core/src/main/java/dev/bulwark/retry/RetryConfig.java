package dev.bulwark.retry;

import dev.bulwark.ConfigException;
import dev.bulwark.RejectedException;
import dev.bulwark.TimedBuilder;
import dev.bulwark.internal.Checks;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a retry. Defaults: 3 retries (YAML {@code max_retries}), exponential
 * backoff from 1 s doubling to at most 30 s, retry on every exception except Bulwark's rejections (an
 * open circuit or full bulkhead says "not now"), no result retried, no budget, no maximum duration.
 *
 * <p>Each failed attempt is judged in this order: {@code abortOn} (stop), {@code retryOn} (stop unless it matches),
 * {@code maxRetries}, {@code maxDuration}, the call's deadline, the budget. So an exception matched by both
 * {@code abortOn} and {@code retryOn} is not retried.
 *
 * @param name the retry's name
 * @param maxRetries retries after the first attempt, in [0, {@link #MAX_RETRIES}], or {@link #UNLIMITED} (-1) when a
 *        {@code maxDuration} bounds them
 * @param maxDuration if not null, no retry is started unless it starts before this much time has passed since the
 *        first attempt started: a retry whose delay would end at or after it is not made (stop reason
 *        {@link Retry.Event.StopReason#DEADLINE}); an attempt already running is not cut (that is a timeout's job).
 *        Positive; default null (none)
 * @param backoff the delay before each retry
 * @param retryOn which exceptions are retried
 * @param abortOn which exceptions stop retrying at once; checked before {@code retryOn}
 * @param retryOnResult which results are retried
 * @param budget the shared retry budget, if any
 * @param random the source of jitter; seed it for reproducible delays
 * @param clock the time source for deadlines
 * @param scheduler how the retry waits: {@code sleep} for synchronous calls, {@code schedule} for asynchronous ones
 */
public record RetryConfig(String name, int maxRetries, @Nullable Duration maxDuration, Backoff backoff, Predicate<Throwable> retryOn,
                          Predicate<Throwable> abortOn, Predicate<@Nullable Object> retryOnResult,
                          Retry.@Nullable Budget budget, Random random, Clock clock, Scheduler scheduler) {

    /** {@code maxRetries} meaning "no limit on the count": allowed only with a {@code maxDuration}. */
    public static final int UNLIMITED = -1;

    /**
     * The largest counted {@code maxRetries}, {@code Integer.MAX_VALUE - 1}, so the attempt number
     * ({@code maxRetries + 1} at most) stays an {@code int}.
     */
    public static final int MAX_RETRIES = Integer.MAX_VALUE - 1;

    static final Predicate<@Nullable Object> NO_RESULT_RETRIED = result -> false;

    /** Validates every field. */
    public RetryConfig {
        String who = "retry '" + Checks.name("retry", name) + "'";
        if (maxRetries == UNLIMITED) {
            if (maxDuration == null) {
                throw new ConfigException(who, "maxRetries", maxRetries,
                        "in [0, " + MAX_RETRIES + "]; -1 (unlimited) only together with a maxDuration");
            }
        } else {
            Checks.between(who, "maxRetries", maxRetries, 0, MAX_RETRIES);
        }
        if (maxDuration != null) {
            Checks.positive(who, "maxDuration", maxDuration);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(retryOn, "retryOn");
        Objects.requireNonNull(abortOn, "abortOn");
        Objects.requireNonNull(retryOnResult, "retryOnResult");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A builder with the defaults. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
    public Builder toBuilder() {
        Builder builder = new Builder(this);
        builder.maxRetries = maxRetries;
        builder.maxDuration = maxDuration;
        builder.backoff = backoff;
        builder.retryOn = retryOn;
        builder.abortOn = abortOn;
        builder.retryOnResult = retryOnResult;
        builder.budget = budget;
        builder.random = random;
        return builder;
    }

    /** Builds a {@link RetryConfig} or a {@link Retry}. Each setting may be given once. Not thread-safe. */
    public static final class Builder extends TimedBuilder<Builder> {
        private String name;
        private int maxRetries = 3;
        private @Nullable Duration maxDuration;
        private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));
        private Predicate<Throwable> retryOn = failure -> !(failure instanceof RejectedException);
        private Predicate<Throwable> abortOn = failure -> false;
        private Predicate<@Nullable Object> retryOnResult = NO_RESULT_RETRIED;
        private Retry.@Nullable Budget budget;
        private Random random = new Random();

        private Builder(String name) {
            this.name = name;
        }

        private Builder(RetryConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
        }

        @Override
        protected String component() {
            return "retry '" + name + "'";
        }

        /** Renames the retry (for a derived config). */
        public Builder name(String name) {
            given("name");
            this.name = name;
            return this;
        }

        /**
         * Retries after the first attempt (default 3), in [0, {@link RetryConfig#MAX_RETRIES}]; {@link RetryConfig#UNLIMITED} (-1) for no
         * limit on the count, allowed only together with {@link #maxDuration}.
         */
        public Builder maxRetries(int retries) {
            given("maxRetries");
            this.maxRetries = retries;
            return this;
        }

        /**
         * The time after which no retry is started (default none): a retry is made only if its delay ends before
         * {@code maxDuration} has passed since the first attempt started. Attempts already running are not cut.
         */
        public Builder maxDuration(Duration maxDuration) {
            given("maxDuration");
            this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
            return this;
        }

        /** The delay before each retry (default exponential 1 s x2 up to 30 s). */
        public Builder backoff(Backoff backoff) {
            given("backoff");
            this.backoff = backoff;
            return this;
        }

        /** Which exceptions are retried (default: all but Bulwark rejections). */
        public Builder retryOn(Predicate<Throwable> predicate) {
            given("retryOn");
            this.retryOn = predicate;
            return this;
        }

        /** Which exceptions stop retrying at once (default: none). */
        public Builder abortOn(Predicate<Throwable> predicate) {
            given("abortOn");
            this.abortOn = predicate;
            return this;
        }

        /** Which results are retried (default: none). */
        public Builder retryOnResult(Predicate<@Nullable Object> predicate) {
            given("retryOnResult");
            this.retryOnResult = predicate;
            return this;
        }

        /** A retry budget shared with other retries of the same dependency (default none). */
        public Builder budget(Retry.@Nullable Budget budget) {
            given("budget");
            this.budget = budget;
            return this;
        }

        /** The source of jitter (default an unseeded {@link Random}). */
        public Builder random(Random random) {
            given("random");
            this.random = random;
            return this;
        }

        /** The config. @throws dev.bulwark.ConfigException for an invalid setting */
        public RetryConfig buildConfig() {
            return new RetryConfig(name, maxRetries, maxDuration, backoff, retryOn, abortOn, retryOnResult, budget, random,
                    configuredClock(), configuredScheduler());
        }

        /** The retry. @throws dev.bulwark.ConfigException for an invalid setting */
        public Retry build() {
            return Retry.of(buildConfig());
        }
    }
}
