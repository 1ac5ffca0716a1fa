package dev.bulwark.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ticker driven by hand over a fake source: it refreshes per tick, sleeps when unread, and wakes on a read. */
class CoarseTickerTest {
    private final AtomicLong source = new AtomicLong(1_000);
    private final CoarseTicker ticker = new CoarseTicker(source::get, false);

    @Test
    void aReadSeesTheReadingOfTheLatestTickNotTheSource() {
        source.set(5_000);
        assertThat(ticker.now()).isEqualTo(1_000);

        ticker.tick();
        source.set(9_000);

        assertThat(ticker.now()).isEqualTo(5_000);
    }

    @Test
    void goesDormantAfterAQuietSpellWithoutReadsAndNotBefore() {
        for (int i = 1; i < CoarseTicker.QUIET_TICKS; i++) {
            assertThat(ticker.tick()).isTrue();
        }
        assertThat(ticker.dormant()).isFalse();

        assertThat(ticker.tick()).isFalse();

        assertThat(ticker.dormant()).isTrue();
    }

    @Test
    void keepsTickingWhileRead() {
        for (int spell = 0; spell < 3; spell++) {
            ticker.now();
            for (int i = 0; i < CoarseTicker.QUIET_TICKS; i++) {
                assertThat(ticker.tick()).isTrue();
            }
        }
        assertThat(ticker.dormant()).isFalse();
    }

    @Test
    void theFirstReadAfterDormancyTakesAnExactReadingAndWakesTheTicker() {
        quietSpell();
        source.set(77_000);

        assertThat(ticker.now()).isEqualTo(77_000);

        assertThat(ticker.dormant()).isFalse();
        source.set(78_000);
        assertThat(ticker.now()).as("later reads see the published reading until the next tick").isEqualTo(77_000);
        ticker.tick();
        assertThat(ticker.now()).isEqualTo(78_000);
    }

    @Test
    void theReadThatWokeItCountsAsUseSoTheNextQuietCheckKeepsItAwake() {
        quietSpell();
        ticker.now();

        for (int i = 0; i < CoarseTicker.QUIET_TICKS; i++) {
            assertThat(ticker.tick()).isTrue();
        }
    }

    @Test
    void readingsNeverGoBackwardsAcrossDormancy() {
        long last = ticker.now();
        for (int round = 0; round < 5; round++) {
            source.addAndGet(1_000_000);
            quietSpell();
            source.addAndGet(1_000);
            long reading = ticker.now();
            assertThat(reading).isGreaterThan(last);
            last = reading;
        }
    }

    @Test
    void aSourceReadingEqualToTheDormantMarkerIsNudgedSoItCannotBeMistakenForDormancy() {
        source.set(CoarseTicker.DORMANT);

        ticker.tick();

        assertThat(ticker.dormant()).isFalse();
        assertThat(ticker.now()).isEqualTo(CoarseTicker.DORMANT + 1);
    }

    private void quietSpell() {
        int ticks = 0;
        while (ticker.tick()) {
            ticks++;
            assertThat(ticks).as("dormant within two check periods").isLessThan(2 * CoarseTicker.QUIET_TICKS);
        }
    }
}
