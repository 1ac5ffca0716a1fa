package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedHistoryTest {
    private static final long HOUR = 3_600_000_000_000L;
    /** Near the top of the nanoTime range: ages are computed across the overflow. */
    private static final long NOW = Long.MAX_VALUE - HOUR;

    @Test
    void dropsTheOldestToStayWithinCapacity() {
        BoundedHistory<String> history = new BoundedHistory<>(2);
        history.add("a");
        history.add("b");
        history.add("c");

        assertThat(history.snapshot()).containsExactly("b", "c");
        assertThat(history.latest()).isEqualTo("c");
    }

    @Test
    void keepsNothingWithCapacityZero() {
        BoundedHistory<String> history = new BoundedHistory<>(0);
        history.add("a");

        assertThat(history.snapshot()).isEmpty();
        assertThat(history.latest()).isNull();
    }

    @Test
    void snapshotsAreImmutableCopies() {
        BoundedHistory<String> history = new BoundedHistory<>(3);
        history.add("a");
        List<String> before = history.snapshot();
        history.add("b");

        assertThat(before).containsExactly("a");
        assertThatThrownBy(() -> before.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void expiresEntriesOlderThanTheMaximumAgeOnlyWhenAnExpiryIsDue() {
        BoundedHistory<String> history = new BoundedHistory<>(10, 2 * HOUR, HOUR / 2, NOW);
        history.add("old", NOW);
        history.add("new", NOW + 2 * HOUR); // crosses Long.MAX_VALUE; "old" is exactly max age: kept

        assertThat(history.snapshot(NOW + 2 * HOUR)).containsExactly("old", "new");
        assertThat(history.snapshot(NOW + 2 * HOUR + 1))
                .as("older than max age but the last expiry ran less than expireEvery ago")
                .containsExactly("old", "new");
        assertThat(history.snapshot(NOW + 2 * HOUR + HOUR / 2)).containsExactly("new");
    }

    @Test
    void anExplicitExpiryRunsAtOnceAndCountsWhatItDropped() {
        BoundedHistory<String> history = new BoundedHistory<>(10, HOUR, 24 * HOUR, NOW);
        history.add("a", NOW);
        history.add("b", NOW + 1);
        history.add("c", NOW + 2 * HOUR);

        assertThat(history.expire(NOW + HOUR + 1)).isEqualTo(1);
        assertThat(history.snapshot()).containsExactly("b", "c");
        assertThat(history.expire(NOW + HOUR + 1)).isZero();
    }

    @Test
    void expireEveryZeroExpiresOnEachAdd() {
        BoundedHistory<String> history = new BoundedHistory<>(10, 100, 0, 0);
        history.add("a", 1_000);
        history.add("b", 1_050);
        history.add("c", 1_101);

        assertThat(history.snapshot()).containsExactly("b", "c");
    }

    @Test
    void aSizeOnlyHistoryNeverExpires() {
        BoundedHistory<String> history = new BoundedHistory<>(3);
        history.add("a", NOW);

        assertThat(history.snapshot(NOW + 1_000 * HOUR)).containsExactly("a");
        assertThat(history.expire(NOW + 1_000 * HOUR)).isZero();
    }

    @Test
    void rejectsNegativeBoundsNamingTheField() {
        assertThatThrownBy(() -> new BoundedHistory<String>(-1))
                .hasMessage("capacity must be >= 0, was -1");
        assertThatThrownBy(() -> new BoundedHistory<String>(1, -2, 0, 0))
                .hasMessage("maxAge must be >= 0, was -2");
        assertThatThrownBy(() -> new BoundedHistory<String>(1, 2, -3, 0))
                .hasMessage("expireEvery must be >= 0, was -3");
    }

    @Test
    void concurrentAddsNeverExceedTheCapacityAndKeepEachWritersOrder() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        int capacity = 100;
        BoundedHistory<long[]> history = new BoundedHistory<>(capacity);
        AtomicInteger largestSeen = new AtomicInteger();
        StartGate.runTogether(threads + 1, thread -> {
            if (thread == threads) { // the reader
                for (int i = 0; i < 2_000; i++) {
                    largestSeen.accumulateAndGet(history.snapshot().size(), Math::max);
                }
                return;
            }
            for (long i = 0; i < perThread; i++) {
                history.add(new long[] {thread, i});
            }
        });

        assertThat(largestSeen.get()).isLessThanOrEqualTo(capacity);
        List<long[]> kept = history.snapshot();
        assertThat(kept).hasSize(capacity);
        long[] lastSeen = new long[threads];
        Arrays.fill(lastSeen, -1);
        for (long[] entry : kept) {
            assertThat(entry[1]).as("writer %d's entries stay in order", entry[0]).isGreaterThan(lastSeen[(int) entry[0]]);
            lastSeen[(int) entry[0]] = entry[1];
        }
        assertThat(kept).anySatisfy(entry -> assertThat(entry[1]).isEqualTo(perThread - 1));
    }
}
