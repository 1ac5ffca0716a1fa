package dev.bulwark.circuit;

import dev.bulwark.RejectedException;
import dev.bulwark.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a circuit breaker refuses a call. The message names the breaker, its state and when it
 * will next let a call through, e.g. {@code circuit 'payments' is OPEN until 12:00:05Z (60.0 s left)}.
 * Carries no stack trace by default (see {@link RejectedException}).
 */
public final class CircuitOpenException extends RejectedException {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final CircuitBreaker.State state;
    private final long openUntilWallMillis;
    private final long untilNanos;
    private final transient @Nullable Clock clock;
    private final int probes;

    /** The time left is worked out only if the message is read, so a rejection reads no clock of its own. */
    CircuitOpenException(String name, CircuitBreaker.State state, long openUntilWallMillis, long untilNanos,
                         @Nullable Clock clock, int probes) {
        super(name, null);
        this.state = state;
        this.openUntilWallMillis = openUntilWallMillis;
        this.untilNanos = untilNanos;
        this.clock = clock;
        this.probes = probes;
    }

    /** The state that refused the call: OPEN, FORCED_OPEN, or HALF_OPEN with every probe in flight. */
    public CircuitBreaker.State state() {
        return state;
    }

    /** When an OPEN circuit's open period ends, in epoch milliseconds; -1 for other states. */
    public long openUntilWallMillis() {
        return openUntilWallMillis;
    }

    @Override
    public String getMessage() {
        String head = "circuit '" + component() + "' is " + state;
        switch (state) {
            case OPEN:
                String until = head + " until " + TIME.format(Instant.ofEpochMilli(openUntilWallMillis));
                return clock == null ? until : until + String.format(Locale.ROOT, " (%.1f s left)",
                        Math.max(0, untilNanos - clock.nanoTime()) / 1e9);
            case HALF_OPEN:
                return head + " and all " + probes + " probe calls are in flight";
            case FORCED_OPEN:
                return head + " until it is reset";
            default:
                return head;
        }
    }
}
