package dev.bulwark.jcstress;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the tests share: a quiet log, a failing call, and a breaker that counts its transitions. */
final class Fixtures {
    /** Held so that the level stays set: a test makes millions of transitions, each one logged otherwise. */
    private static final Logger BULWARK_LOG = Logger.getLogger("dev.bulwark");

    static final Exception FAILURE = new IllegalStateException("planned failure");
    static final Duration RECOVERY = Duration.ofSeconds(10);

    private Fixtures() {
    }

    /** Turns Bulwark's log off in this (forked) VM; call before building anything that logs. */
    static void quietLogs() {
        BULWARK_LOG.setLevel(Level.OFF);
    }

    /** A breaker on a manual clock whose transitions into {@code to} from {@code from} are counted. */
    static final class CountedBreaker {
        final ManualClock clock = new ManualClock();
        final CircuitBreaker breaker;
        private final AtomicInteger[] transitions = new AtomicInteger[CircuitBreaker.State.values().length
                * CircuitBreaker.State.values().length];

        CountedBreaker(CircuitBreakerConfig.Builder builder) {
            quietLogs();
            for (int i = 0; i < transitions.length; i++) {
                transitions[i] = new AtomicInteger();
            }
            breaker = builder.clockAndScheduler(clock).recoveryTimeout(RECOVERY).build();
            breaker.subscribe(event -> {
                if (event instanceof CircuitBreaker.Event.StateTransition move) {
                    transitions[index(move.from(), move.to())].incrementAndGet();
                }
            });
        }

        int transitions(CircuitBreaker.State from, CircuitBreaker.State to) {
            return transitions[index(from, to)].get();
        }

        /** Trips the breaker and lets its open period pass: HALF_OPEN. */
        void toHalfOpen() {
            breaker.trip();
            clock.advance(RECOVERY);
            if (breaker.state() != CircuitBreaker.State.HALF_OPEN) {
                throw new AssertionError("expected HALF_OPEN, was " + breaker.state());
            }
        }

        void fail() {
            try {
                breaker.execute(() -> {
                    throw FAILURE;
                });
            } catch (Exception expected) {
                // the planned failure, or the breaker's refusal
            }
        }

        void succeed() {
            try {
                breaker.execute(() -> "ok");
            } catch (Exception refused) {
                // refused by the breaker: the test's counts tell
            }
        }

        private static int index(CircuitBreaker.State from, CircuitBreaker.State to) {
            return from.ordinal() * CircuitBreaker.State.values().length + to.ordinal();
        }
    }
}
