package dev.bulwark.bulkhead;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.TimedBuilder;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits how many calls run at once, so one slow dependency cannot take every thread. A call that finds
 * no free permit waits up to {@code maxWait} (default: not at all), first come first served, then is
 * refused with a {@link BulkheadFullException}. Asynchronous calls wait without blocking a thread.
 *
 * <p>A permit is returned however the call ends: success, failure, timeout, interruption, cancellation.
 * Taking a free permit is one compare-and-set; nothing is allocated. This interface's implementation is
 * thread-safe.
 */
public interface Bulkhead extends Policy, EventSource<BulkheadEvent> {

    /** A builder for a bulkhead called {@code name} allowing {@code maxConcurrentCalls} at once. */
    static Builder builder(String name, int maxConcurrentCalls) {
        return new Builder(name, maxConcurrentCalls);
    }

    /** The most calls allowed at once. */
    int maxConcurrentCalls();

    /** Calls running now. */
    int inFlight();

    /** Calls waiting for a permit now. */
    int waiting();

    /** Calls refused so far. */
    long rejectedCalls();

    @Override
    default Class<? extends Component> kind() {
        return Bulkhead.class;
    }

    /** Builds a {@link Bulkhead}. Not thread-safe. */
    final class Builder extends TimedBuilder<Builder> {
        private final String name;
        private final int maxConcurrentCalls;
        private Duration maxWait = Duration.ZERO;

        private Builder(String name, int maxConcurrentCalls) {
            this.name = name;
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        /** How long a call may wait for a permit (default zero: refuse at once). */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        /** The bulkhead. @throws dev.bulwark.ConfigException for an invalid setting */
        public Bulkhead build() {
            String who = "bulkhead '" + Checks.name("bulkhead", name) + "'";
            Checks.between(who, "maxConcurrentCalls", maxConcurrentCalls, 1, 1_000_000);
            Checks.notNegative(who, "maxWait", maxWait);
            return new SemaphoreBulkhead(name, maxConcurrentCalls, maxWait, configuredClock(), configuredScheduler());
        }
    }
}
