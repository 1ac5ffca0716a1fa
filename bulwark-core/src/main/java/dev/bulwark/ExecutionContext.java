package dev.bulwark;

import dev.bulwark.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one execution knows about itself: the attempt number (1 for the first), when it started,
 * an optional deadline, and the caller's tags (a request id, a tenant, ...).
 *
 * <p>Contexts are immutable; policies derive new ones ({@link #withAttempt}, {@link #withDeadline})
 * and hand them inward, so an inner policy sees the deadline an outer timeout set. Executions whose
 * caller asked for no context share {@link #detached()}, so the common path allocates nothing.
 * This class is thread-safe.
 */
public final class ExecutionContext {

    private static final ExecutionContext DETACHED = new ExecutionContext(1, 0L, false, 0L, Map.of());

    private final int attempt;
    private final long startNanos;
    private final boolean hasDeadline;
    private final long deadlineNanos;
    private final Map<String, String> tags;

    private ExecutionContext(int attempt, long startNanos, boolean hasDeadline, long deadlineNanos,
                             Map<String, String> tags) {
        this.attempt = attempt;
        this.startNanos = startNanos;
        this.hasDeadline = hasDeadline;
        this.deadlineNanos = deadlineNanos;
        this.tags = tags;
    }

    /** A context for an execution starting now on {@code clock}, without tags. */
    public static ExecutionContext start(Clock clock) {
        return new ExecutionContext(1, clock.nanoTime(), false, 0L, Map.of());
    }

    /** A context for an execution starting now on {@code clock}, carrying {@code tags}. */
    public static ExecutionContext start(Clock clock, Map<String, String> tags) {
        return new ExecutionContext(1, clock.nanoTime(), false, 0L, copyOf(tags));
    }

    /**
     * The context shared by executions that did not ask for one: first attempt, no deadline, no tags,
     * and a start time of 0 (unrecorded).
     */
    public static ExecutionContext detached() {
        return DETACHED;
    }

    /** The attempt number, 1 for the first call and incremented by each retry. */
    public int attempt() {
        return attempt;
    }

    /** The clock reading when the execution started; 0 for {@link #detached()}. */
    public long startNanos() {
        return startNanos;
    }

    /** The deadline as a clock reading, if one was set. */
    public boolean hasDeadline() {
        return hasDeadline;
    }

    /**
     * The deadline as a reading of the execution's clock.
     *
     * @throws IllegalStateException if no deadline was set
     */
    public long deadlineNanos() {
        if (!hasDeadline) {
            throw new IllegalStateException("no deadline set");
        }
        return deadlineNanos;
    }

    /** Nanoseconds left before the deadline at clock reading {@code nowNanos} (negative once passed); {@link Long#MAX_VALUE} without a deadline. */
    public long remainingNanos(long nowNanos) {
        return hasDeadline ? deadlineNanos - nowNanos : Long.MAX_VALUE;
    }

    /** The caller's tags, unmodifiable. */
    public Map<String, String> tags() {
        return tags;
    }

    /** One tag's value. */
    public Optional<String> tag(String key) {
        return Optional.ofNullable(tags.get(key));
    }

    /** This context for attempt number {@code attempt} (1 or more). */
    public ExecutionContext withAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        return attempt == this.attempt ? this
                : new ExecutionContext(attempt, startNanos, hasDeadline, deadlineNanos, tags);
    }

    /**
     * This context with a deadline at clock reading {@code deadlineNanos}. An earlier deadline already
     * set wins: an inner policy can shorten the time left, never lengthen it.
     */
    public ExecutionContext withDeadline(long deadlineNanos) {
        if (hasDeadline && this.deadlineNanos - deadlineNanos <= 0) {
            return this;
        }
        return new ExecutionContext(attempt, startNanos, true, deadlineNanos, tags);
    }

    /** This context with one more tag (replacing a tag of the same key). */
    public ExecutionContext withTag(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(key, value);
        return new ExecutionContext(attempt, startNanos, hasDeadline, deadlineNanos, Collections.unmodifiableMap(copy));
    }

    private static Map<String, String> copyOf(Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        Map<String, String> copy = new LinkedHashMap<>();
        tags.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "tag key"),
                Objects.requireNonNull(value, () -> "value of tag " + key)));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return "ExecutionContext[attempt=" + attempt + (hasDeadline ? ", deadlineNanos=" + deadlineNanos : "")
                + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }
}
