package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketRingTest {
    private static final long SECOND = 1_000_000_000L;
    /** Near the top of the nanoTime range, as Caffeine's tests start: the window crosses the overflow. */
    private static final long NOW = Long.MAX_VALUE - 2 * SECOND - 17;

    private static final class Counter extends BucketRing.Bucket {
        final LongAdder count = new LongAdder();

        Counter(long epoch, long startNanos) {
            super(epoch, startNanos);
        }
    }

    private static BucketRing<Counter> ring(int length, long origin) {
        return new BucketRing<>(length, SECOND, origin, Counter::new);
    }

    private static long sum(BucketRing<Counter> ring, long now) {
        long epoch = ring.epoch(now);
        long total = 0;
        for (int i = 0; i < ring.length(); i++) {
            Counter bucket = ring.inWindow(i, epoch);
            total += bucket == null ? 0 : bucket.count.sum();
        }
        return total;
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, NOW, Long.MIN_VALUE + 5, -3 * SECOND + 1})
    void countsWithinTheWindowAndDropsWhatLeftIt(long origin) {
        BucketRing<Counter> ring = ring(3, origin);
        ring.bucketAt(origin).count.increment(); // second 0
        ring.bucketAt(origin + SECOND + 5).count.add(2); // second 1
        ring.bucketAt(origin + 2 * SECOND).count.add(4); // second 2

        assertThat(sum(ring, origin + 2 * SECOND + SECOND - 1)).isEqualTo(7);
        assertThat(sum(ring, origin + 3 * SECOND)).as("second 0 has left").isEqualTo(6);
        assertThat(sum(ring, origin + 4 * SECOND)).isEqualTo(4);
        assertThat(sum(ring, origin + 5 * SECOND)).isZero();
    }

    @Test
    void aSlotComingRoundAgainGetsAFreshBucket() {
        BucketRing<Counter> ring = ring(2, NOW);
        Counter first = ring.bucketAt(NOW);
        first.count.add(5);

        Counter wrapped = ring.bucketAt(NOW + 2 * SECOND); // same slot, two epochs later: crosses Long.MAX_VALUE

        assertThat(wrapped).isNotSameAs(first);
        assertThat(wrapped.epoch()).isEqualTo(2);
        assertThat(wrapped.startNanos()).isEqualTo(NOW + 2 * SECOND);
        assertThat(wrapped.count.sum()).isZero();
        assertThat(sum(ring, NOW + 2 * SECOND)).isZero();
    }

    @Test
    void latestFollowsTheNewestEpochAndCoversOnlyItsOwnSpan() {
        BucketRing<Counter> ring = ring(4, NOW);
        Counter zero = ring.latest();
        assertThat(zero.epoch()).isZero();
        assertThat(ring.covers(zero, NOW + SECOND - 1)).isTrue();
        assertThat(ring.covers(zero, NOW + SECOND)).isFalse();
        assertThat(ring.covers(zero, NOW - 1)).isFalse();

        Counter third = ring.bucketAt(NOW + 3 * SECOND);
        ring.bucketAt(NOW + SECOND); // a late write of an older second does not move latest back

        assertThat(ring.latest()).isSameAs(third);
        assertThat(ring.bucketAt(NOW + 3 * SECOND + 1)).isSameAs(third);
    }

    @Test
    void aWriteTooLateForItsSlotCountsInTheNewerBucket() {
        BucketRing<Counter> ring = ring(2, NOW);
        Counter newer = ring.bucketAt(NOW + 2 * SECOND);

        assertThat(ring.bucketAt(NOW)).isSameAs(newer);
    }

    @Test
    void epochsAreFloorDivisionsOfTheTimeSinceTheOrigin() {
        BucketRing<Counter> ring = ring(3, NOW);
        assertThat(ring.epoch(NOW)).isZero();
        assertThat(ring.epoch(NOW - 1)).isEqualTo(-1);
        assertThat(ring.epoch(NOW + 5 * SECOND)).isEqualTo(5);
    }

    @Test
    void rejectsAnEmptyRing() {
        assertThatThrownBy(() -> ring(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("length must be >= 1, was 0");
    }

    @Test
    void noIncrementIsLostWhenThreadsRaceToRotateASlot() throws Exception {
        int threads = 8;
        int rounds = 300;
        int perRound = 100;
        BucketRing<Counter> ring = ring(2, NOW); // every round replaces the stale bucket of two rounds ago
        long[] inWindow = new long[rounds];
        int[] round = {0};
        CyclicBarrier endOfRound = new CyclicBarrier(threads, () -> {
            inWindow[round[0]] = sum(ring, NOW + round[0] * SECOND);
            round[0]++;
        });
        StartGate.runTogether(threads, thread -> {
            for (int r = 0; r < rounds; r++) {
                long now = NOW + r * SECOND + r % 7; // crosses Long.MAX_VALUE after round 1
                for (int i = 0; i < perRound; i++) {
                    ring.bucketAt(now).count.increment();
                }
                endOfRound.await(5, TimeUnit.SECONDS);
            }
        });

        long perEpoch = (long) threads * perRound;
        assertThat(inWindow[0]).isEqualTo(perEpoch);
        for (int r = 1; r < rounds; r++) {
            assertThat(inWindow[r]).as("round %d: this second and the one before", r).isEqualTo(2 * perEpoch);
        }
    }
}
