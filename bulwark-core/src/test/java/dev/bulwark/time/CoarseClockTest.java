package dev.bulwark.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

    @Test
    void manualClockCoarseReadingIsItsExactReading() {
        ManualClock clock = new ManualClock();
        assertThat(clock.coarseNanoTime()).isEqualTo(clock.nanoTime());

        clock.advanceNanos(1_234_567L);

        assertThat(clock.coarseNanoTime()).isEqualTo(clock.nanoTime());
    }

    @Test
    void systemCoarseReadingNeverRunsAheadOfTheClockAndLagsItByFarLessThanASecond() {
        Clock clock = Clock.system();
        clock.coarseNanoTime(); // starts the ticker
        long before = clock.nanoTime();
        long coarse = clock.coarseNanoTime();
        long after = clock.nanoTime();

        assertThat(coarse - after).isLessThanOrEqualTo(0L);
        // a tick is half a millisecond; the bound only has to survive a starved CI machine
        assertThat(before - coarse).isLessThan(Duration.ofSeconds(1).toNanos());
    }
}
