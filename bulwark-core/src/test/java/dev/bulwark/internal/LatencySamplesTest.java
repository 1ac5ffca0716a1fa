package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencySamplesTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void readsNothingBeforeTheFirstSample() {
        LatencySamples samples = new LatencySamples(4);

        assertThat(samples.count()).isZero();
        assertThat(samples.percentileNanos(0.5)).isEqualTo(-1L);
        assertThat(samples.meanAndStdDevMillis()).containsExactly(Double.NaN, Double.NaN);
    }

    @Test
    void meanAndJitterAreOverTheSamplesHeld() {
        LatencySamples samples = new LatencySamples(4);
        samples.record(10 * MILLI);
        samples.record(30 * MILLI);

        double[] stats = samples.meanAndStdDevMillis();

        assertThat(samples.count()).isEqualTo(2);
        assertThat(stats[0]).isCloseTo(20.0, within(1e-9));
        assertThat(stats[1]).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void percentileIsTheNearestRank() {
        LatencySamples samples = new LatencySamples(100);
        for (long i = 100; i >= 1; i--) {
            samples.record(i);
        }

        assertThat(samples.percentileNanos(0.95)).isEqualTo(95);
        assertThat(samples.percentileNanos(0.5)).isEqualTo(50);
        assertThat(samples.percentileNanos(1.0)).isEqualTo(100);
        assertThat(samples.percentileNanos(0.001)).isEqualTo(1);
    }

    @Test
    void theRingKeepsOnlyTheLatestCapacityAndSaysWhenItWraps() {
        LatencySamples samples = new LatencySamples(3);
        assertThat(samples.record(1_000 * MILLI)).isFalse();
        assertThat(samples.record(1_000 * MILLI)).isFalse();
        assertThat(samples.record(1_000 * MILLI)).as("fills the last slot").isTrue();

        samples.record(2 * MILLI);
        samples.record(2 * MILLI);
        boolean wrapped = samples.record(2 * MILLI);

        assertThat(wrapped).isTrue();
        assertThat(samples.count()).isEqualTo(3);
        assertThat(samples.meanAndStdDevMillis()[0]).isCloseTo(2.0, within(1e-9));
        assertThat(samples.percentileNanos(1.0)).isEqualTo(2 * MILLI);
    }

    @Test
    void aRingOfOneHoldsTheLatestSampleAndWrapsOnEveryOne() {
        LatencySamples samples = new LatencySamples(1);

        assertThat(samples.count()).isZero();
        assertThat(samples.record(5 * MILLI)).isTrue();
        assertThat(samples.record(7 * MILLI)).isTrue();
        assertThat(samples.count()).isEqualTo(1);
        assertThat(samples.percentileNanos(0.5)).isEqualTo(7 * MILLI);
    }

    @Test
    void theCountGrowsWithTheSamplesUntilTheRingIsFull() {
        LatencySamples samples = new LatencySamples(4);
        for (int recorded = 1; recorded <= 9; recorded++) {
            samples.record(recorded * MILLI);
            assertThat(samples.count()).as("after %d samples", recorded).isEqualTo(Math.min(recorded, 4));
        }
        assertThat(samples.percentileNanos(0.01)).as("the oldest held is the sixth").isEqualTo(6 * MILLI);
    }

    @Test
    void negativeDurationsAreNotSamples() {
        LatencySamples samples = new LatencySamples(3);

        assertThat(samples.record(-5)).isFalse();
        assertThat(samples.count()).isZero();
    }

    @Test
    void rejectsAZeroCapacity() {
        assertThatThrownBy(() -> new LatencySamples(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
    }

    @Test
    void concurrentWritersLoseNoSampleWhileTheRingHasRoom() throws Exception {
        int threads = 4;
        int perThread = 250_000; // long enough runs that the writers overlap on two cores
        LatencySamples samples = new LatencySamples(threads * perThread);
        StartGate.runTogether(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                samples.record((thread + 1) * MILLI);
            }
        });

        assertThat(samples.count()).isEqualTo(threads * perThread);
        // thread t recorded (t + 1) ms perThread times: with every sample kept, the mean is that of 1..threads ms
        assertThat(samples.meanAndStdDevMillis()[0]).isCloseTo((threads + 1) / 2.0, within(1e-6));
        assertThat(samples.percentileNanos(1.0)).isEqualTo(threads * MILLI);
    }
}
