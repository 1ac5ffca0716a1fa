package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The striped fixed limit, one step at a time: the switch to central mode and back, and what it must not change. */
class StripedPermitsTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void cellCountGrowsWithCoresAndStopsWhereACellWouldHoldFewerThanTwoPermits() {
        assertThat(StripedPermits.cellsFor(1_000, 2)).isEqualTo(4);
        assertThat(StripedPermits.cellsFor(1_000, 3)).isEqualTo(8);
        assertThat(StripedPermits.cellsFor(1_000, 1)).isEqualTo(2);
        assertThat(StripedPermits.cellsFor(100_000, 512)).isEqualTo(64);
        assertThat(StripedPermits.cellsFor(10, 2)).isEqualTo(4);
        assertThat(StripedPermits.cellsFor(4, 8)).isEqualTo(2);
        assertThat(StripedPermits.cellsFor(3, 8)).isZero();
        assertThat(StripedPermits.cellsFor(1, 8)).isZero();
    }

    @Test
    void aLimitTooSmallToStripeStaysOnTheCentralCount() {
        assertThat(Permits.fixed(3, 10)).isNotInstanceOf(StripedPermits.class);
        assertThat(Permits.fixed(1_000, 10)).isInstanceOf(StripedPermits.class);
    }

    @Test
    void rejectsACellCountThatIsNotAPowerOfTwoOrLeavesACellFewerThanTwoPermits() {
        assertThatThrownBy(() -> new StripedPermits(16, 1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 3 for limit 16");
        assertThatThrownBy(() -> new StripedPermits(7, 1, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grantsEveryPermitOfTheLimitThenRefusesAndCountsThemAllInFlight() {
        StripedPermits permits = new StripedPermits(8, Integer.MAX_VALUE, 4);

        for (int i = 0; i < 8; i++) {
            assertThat(permits.tryAcquire()).as("permit %d of 8", i + 1).isTrue();
            assertThat(permits.inFlight()).isEqualTo(i + 1);
        }

        assertThat(permits.tryAcquire()).isFalse();
        assertThat(permits.striped()).isFalse();
        assertThat(permits.inFlight()).isEqualTo(8);
    }

    @Test
    void spreadsAgainOnceHalfTheLimitIsFreeAndLosesNoPermitOnTheWay() {
        StripedPermits permits = new StripedPermits(8, Integer.MAX_VALUE, 4);
        takeAll(permits, 8);
        assertThat(permits.tryAcquire()).isFalse();

        for (int i = 0; i < 3; i++) {
            permits.release();
        }
        assertThat(permits.striped()).isFalse();
        permits.release();

        assertThat(permits.striped()).isTrue();
        assertThat(permits.inFlight()).isEqualTo(4);
        takeAll(permits, 4);
        assertThat(permits.tryAcquire()).isFalse();
    }

    @Test
    void permitsReturnedToClosedCellsGoToTheCentralCount() {
        StripedPermits permits = new StripedPermits(8, Integer.MAX_VALUE, 2);
        takeAll(permits, 3);

        permits.centralize();
        assertThat(permits.striped()).isFalse();
        assertThat(permits.inFlight()).isEqualTo(3);
        permits.release();
        permits.release();

        assertThat(permits.inFlight()).isEqualTo(1);
        takeAll(permits, 7);
        assertThat(permits.tryAcquire()).isFalse();
    }

    @Test
    void aPermitTakenOnOneThreadAndReturnedOnAnotherIsStillCountedOnce() throws Exception {
        StripedPermits permits = new StripedPermits(16, Integer.MAX_VALUE, 8);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            takeAll(permits, 10);
            Future<?> released = other.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    permits.release();
                }
            });
            released.get(5, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }

        assertThat(permits.inFlight()).isZero();
        takeAll(permits, 16);
        assertThat(permits.tryAcquire()).isFalse();
    }

    @Test
    void aWaiterGetsTheNextPermitAheadOfLaterCallersAndNothingSpreadsWhileItWaits() {
        StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);
        takeAll(permits, 4);
        CompletableFuture<Boolean> first = permits.acquire(Duration.ofSeconds(1), clock);
        CompletableFuture<Boolean> second = permits.acquire(Duration.ofSeconds(1), clock);
        assertThat(permits.waiting()).isEqualTo(2);

        permits.release();
        assertThat(first).isCompletedWithValue(true);
        assertThat(second).isNotDone();
        permits.release();
        assertThat(second).isCompletedWithValue(true);

        permits.release();
        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.inFlight()).isEqualTo(4);
    }

    @Test
    void aWaiterWhoseDeadlinePassesLeavesThePermitsWhereTheyWere() {
        StripedPermits permits = new StripedPermits(4, Integer.MAX_VALUE, 2);
        takeAll(permits, 4);
        CompletableFuture<Boolean> waiter = permits.acquire(Duration.ofSeconds(1), clock);

        clock.advance(Duration.ofSeconds(1));
        assertThat(waiter).isCompletedWithValue(false);
        for (int i = 0; i < 4; i++) {
            permits.release();
        }

        assertThat(permits.waiting()).isZero();
        assertThat(permits.inFlight()).isZero();
        assertThat(permits.striped()).isTrue();
        takeAll(permits, 4);
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        StripedPermits permits = new StripedPermits(4, 1, 2);
        takeAll(permits, 4);
        CompletableFuture<Boolean> queued = permits.acquire(Duration.ofSeconds(1), clock);

        CompletableFuture<Boolean> refused = permits.acquire(Duration.ofSeconds(1), clock);

        assertThat(Permits.queued(queued)).isTrue();
        assertThat(refused).isCompletedWithValue(false);
        assertThat(Permits.queued(refused)).isFalse();
    }

    @Test
    void theLimitOfAStripedPermitSetCannotChange() {
        StripedPermits permits = new StripedPermits(4, 1, 2);

        assertThatThrownBy(() -> permits.limit(5)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(permits.limit()).isEqualTo(4);
    }

    private static void takeAll(Permits permits, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(permits.tryAcquire()).as("permit %d of %d", i + 1, count).isTrue();
        }
    }
}
