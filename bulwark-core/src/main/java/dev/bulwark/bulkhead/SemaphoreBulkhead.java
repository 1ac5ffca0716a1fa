package dev.bulwark.bulkhead;

import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;

/** The fixed-limit bulkhead. */
final class SemaphoreBulkhead extends PermitPolicy implements Bulkhead {

    SemaphoreBulkhead(String name, int maxConcurrentCalls, Duration maxWait, Clock clock, Scheduler scheduler) {
        super("bulkhead", name, new Permits(maxConcurrentCalls), maxWait, clock, scheduler);
    }

    @Override
    public int maxConcurrentCalls() {
        return permits.limit();
    }
}
