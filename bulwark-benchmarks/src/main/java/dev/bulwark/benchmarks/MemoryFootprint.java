package dev.bulwark.benchmarks;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained heap of a circuit breaker (JOL), fresh and after a long run with failures and transitions:
 * the budget is about 1 KB per breaker plus about 100 bytes per retained record. Shared singletons
 * (the clock, the default predicates) are excluded: every breaker shares them.
 *
 * <p>Run: {@code java -cp bulwark-benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.MemoryFootprint}
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("dev.bulwark").setLevel(java.util.logging.Level.OFF);
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).countWindow(100).build();
        Object[] shared = {clock, breaker.config().recordFailure(), breaker.config().ignoreException(),
                breaker.config().recordResult()};
        long sharedBytes = GraphLayout.parseInstance(shared).totalSize();
        report("fresh, 100-call window", GraphLayout.parseInstance(breaker).totalSize() - sharedBytes);

        for (int round = 0; round < 10_000; round++) {
            for (int i = 0; i < 100; i++) {
                boolean failing = i % 20 == 19; // 5 % failures, spread out
                try {
                    breaker.execute(() -> {
                        if (failing) {
                            throw new IOException("down");
                        }
                        return "ok";
                    });
                } catch (IOException expected) {
                    // part of the load
                }
            }
            if (round % 100 == 0) {
                breaker.trip();
                breaker.reset();
            }
            clock.advance(Duration.ofMinutes(1));
        }
        report("after 1,000,000 calls, 200 transitions, 7 simulated days",
                GraphLayout.parseInstance(breaker).totalSize() - sharedBytes);
        System.out.println("history entries kept: " + breaker.stats().history().size()
                + " (bound " + breaker.config().historySize() + ")");
        registryOf(10_000, clock, sharedBytes);
    }

    /** A registry of {@code size} fresh breakers with the default window: retained bytes per breaker. */
    private static void registryOf(int size, ManualClock clock, long sharedBytes) {
        Registry registry = new Registry();
        for (int i = 0; i < size; i++) {
            registry.register(CircuitBreaker.builder("breaker-" + i).clock(clock).build());
        }
        long total = GraphLayout.parseInstance(registry).totalSize() - sharedBytes;
        report(String.format(java.util.Locale.ROOT, "registry of %,d breakers, per breaker", size), total / size);
    }

    private static void report(String what, long bytes) {
        System.out.printf("%-60s %,8d bytes retained%n", what, bytes);
    }
}
