package dev.bulwark.bulkhead;

import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.event.EventSource;

/**
 * Limits how many calls run at once, so one slow dependency cannot take every thread. A call that finds
 * no free permit waits up to {@code maxWait} (default: not at all), first come first served, then is
 * refused with a {@link BulkheadFullException}; at most {@code maxWaitingCalls} wait at once (default: no bound),
 * and a call finding the queue full is refused at once. A waiting asynchronous call whose returned stage is
 * cancelled leaves the queue and never runs. Asynchronous calls wait without blocking a thread.
 *
 * <p>A permit is returned however the call ends: success, failure, timeout, interruption, cancellation.
 * Taking a free permit is one compare-and-set; nothing is allocated. This interface's implementation is
 * thread-safe.
 */
public interface Bulkhead extends Policy, EventSource<Bulkhead.Event> {

    /** A builder for a bulkhead called {@code name} allowing {@code maxConcurrentCalls} at once. */
    static BulkheadConfig.Builder builder(String name, int maxConcurrentCalls) {
        return BulkheadConfig.builder(name).maxConcurrentCalls(maxConcurrentCalls);
    }

    /** A builder for a bulkhead called {@code name}; its {@code maxConcurrentCalls} must be given. */
    static BulkheadConfig.Builder builder(String name) {
        return BulkheadConfig.builder(name);
    }

    /** A bulkhead with the given config. */
    static Bulkhead of(BulkheadConfig config) {
        return new SemaphoreBulkhead(config);
    }

    /** This bulkhead's settings. */
    BulkheadConfig config();

    /** The most calls allowed at once. */
    int maxConcurrentCalls();

    /** Calls running now. */
    int inFlight();

    /** Calls waiting for a permit now. */
    int waiting();

    /** Calls that had to wait for a permit so far (whether they got one or not). */
    long queuedCalls();

    /** Calls refused so far. */
    long rejectedCalls();

    @Override
    default Class<? extends Component> kind() {
        return Bulkhead.class;
    }

    /** What a bulkhead or adaptive limiter reports. */
    sealed interface Event {

        /** The component's name. */
        String name();

        /** A call was refused with {@code inFlight} calls running under {@code limit}. */
        record Rejected(String name, int inFlight, int limit) implements Event {
        }

        /** A call found no free permit and joined the queue, which now holds {@code waiting} of at most {@code maxWaiting}. */
        record Queued(String name, int waiting, int maxWaiting) implements Event {
        }

        /** An adaptive limiter moved its limit. */
        record LimitChanged(String name, int from, int to) implements Event {
        }
    }
}
