package dev.bulwark.circuit;

import dev.bulwark.Policy;
import java.io.IOException;

/** Small helpers to drive a breaker with successes and failures. */
final class Calls {
    private Calls() {
    }

    static void succeed(Policy guard, int times) {
        for (int i = 0; i < times; i++) {
            try {
                guard.execute(() -> "ok");
            } catch (Exception unexpected) {
                throw new AssertionError("call " + i + " was expected to succeed", unexpected);
            }
        }
    }

    static void fail(Policy guard, int times) {
        for (int i = 0; i < times; i++) {
            try {
                guard.execute(() -> {
                    throw new IOException("dependency down");
                });
                throw new AssertionError("call " + i + " was expected to fail");
            } catch (IOException expected) {
                // the dependency's own failure, passed through
            } catch (Exception unexpected) {
                throw new AssertionError("call " + i + " failed in an unexpected way", unexpected);
            }
        }
    }

    /** Returns true when the call was rejected by the breaker. */
    static boolean rejected(Policy guard) {
        try {
            guard.execute(() -> "ok");
            return false;
        } catch (CircuitOpenException rejected) {
            return true;
        } catch (Exception other) {
            throw new AssertionError(other);
        }
    }
}
