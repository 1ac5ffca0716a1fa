package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Many writers on a small ring (so they collide and spread over stripes) while the rings wrap many times.
 * Invariant: reads hold only recorded values, never more than one ring's capacity per ring, and the base ring full.
 */
class LatencySamplesStressTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void collidingWritersKeepOnlyRecordedSamplesWithinTheRingsBounds() throws Exception {
        int threads = 8;
        int capacity = 16;
        LatencySamples samples = new LatencySamples(capacity);
        StartGate.runTogether(threads, thread -> {
            for (int i = 0; i < 200_000; i++) {
                samples.record((thread + 1) * MILLI);
            }
        });

        assertThat(samples.count()).isBetween(capacity, capacity * 5);
        assertThat(samples.percentileNanos(0.001)).isGreaterThanOrEqualTo(MILLI);
        assertThat(samples.percentileNanos(1.0)).isLessThanOrEqualTo(threads * MILLI);
        double[] meanAndJitter = samples.meanAndStdDevMillis();
        assertThat(meanAndJitter[0]).isBetween(1.0, (double) threads);
    }
}
