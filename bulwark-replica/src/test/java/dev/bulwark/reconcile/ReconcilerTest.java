package dev.bulwark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Seed 4's worked examples, and the rules around them. */
class ReconcilerTest {

    private final ManualClock clock = new ManualClock();
    private final long now = clock.wallMillis() / 1000;
    /** Readings start well in the past, so none is refused as coming from the future. */
    private final long t0 = now - 10_000;
    private final List<ReconcileSink.Point> points = new CopyOnWriteArrayList<>();
    private final List<ReconcileSink.Gap> gaps = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final ReconcileSink sink = new ReconcileSink() {
        @Override
        public void accept(ReconcileSink.Point point) {
            points.add(point);
        }

        @Override
        public void gap(ReconcileSink.Gap gap) {
            gaps.add(gap);
        }

        @Override
        public void rejected(Reconciler.Reading reading, String reason) {
            rejections.add(reason);
        }
    };

    private Reconciler reconciler() {
        return Reconciler.builder(sink).clock(clock).build();
    }

    @Test
    void closeReadingsFromBothSourcesKeepThePrimarysValue() {
        Reconciler reconciler = reconciler();

        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "pool-a", t0 + 1000, 0.0456));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.REPLICA, "pool-a", t0 + 1000, 0.0458));

        assertThat(points).singleElement().satisfies(point -> {
            assertThat(point.value()).isEqualTo(0.0456);
            assertThat(point.quality()).isEqualTo(ReconcileSink.Point.Quality.DEDUPLICATED);
        });
    }

    @Test
    void differingReadingsAreAveragedAndFlagged() {
        Reconciler reconciler = reconciler();

        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.REPLICA, "pool-a", t0 + 1000, 0.0500));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "pool-a", t0 + 1000, 0.0400));

        assertThat(points).singleElement().satisfies(point -> {
            assertThat(point.value()).isCloseTo(0.045, within(1e-12));
            assertThat(point.quality().label()).isEqualTo("averaged_dual_source");
        });
        assertThat(reconciler.quality("pool-a").orElseThrow().averagedShare()).isEqualTo(1.0);
    }

    @Test
    void aTwentyMinuteGapIsFilledEveryFiveMinutesAndFlaggedInterpolated() {
        Reconciler reconciler = reconciler();

        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "pool-a", t0, 0.050));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.REPLICA, "pool-a", t0, 0.050));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "pool-a", t0 + 1200, 0.060));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.REPLICA, "pool-a", t0 + 1200, 0.060));

        assertThat(points).extracting(point -> point.timestamp() - t0).containsExactly(0L, 300L, 600L, 900L, 1200L);
        double[] expected = {0.0525, 0.055, 0.0575};
        for (int i = 0; i < 3; i++) {
            assertThat(points.get(i + 1).value()).isCloseTo(expected[i], within(1e-12));
        }
        assertThat(points.subList(1, 4)).extracting(point -> point.quality().label()).containsOnly("interpolated");
        assertThat(gaps).containsExactly(new ReconcileSink.Gap("pool-a", t0, t0 + 1200, true));
        assertThat(reconciler.quality("pool-a").orElseThrow().interpolatedShare()).isEqualTo(0.6);
    }

    @Test
    void gapsWithinTheThresholdAreNotGapsAndGapsBeyondTheMaximumAreReportedUnfilled() {
        Reconciler reconciler = Reconciler.builder(sink).clock(clock).retentionWindow(Duration.ZERO).build();

        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, 1.0));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0 + 600, 2.0));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0 + 600 + 3600, 3.0));

        assertThat(points).extracting(ReconcileSink.Point::quality).containsOnly(ReconcileSink.Point.Quality.SINGLE_SOURCE);
        assertThat(gaps).containsExactly(new ReconcileSink.Gap("s", t0 + 600, t0 + 4200, false));
        assertThat(reconciler.quality("s").orElseThrow().unfillableGaps()).isEqualTo(1);
    }

    @Test
    void aLoneReadingWaitsForTheOtherSourceThroughTheRetentionWindow() {
        Reconciler reconciler = reconciler();

        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, 1.0));
        clock.advance(Duration.ofSeconds(299));
        reconciler.flushReady();
        assertThat(points).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        reconciler.flushReady();

        assertThat(points).singleElement().extracting(ReconcileSink.Point::quality).isEqualTo(ReconcileSink.Point.Quality.SINGLE_SOURCE);
    }

    @Test
    void invalidReadingsAreReportedWithTheirReasonAndCounted() {
        Reconciler reconciler = Reconciler.builder(sink).clock(clock).valueRange(0, 100).build();

        reconciler.submit(new Reconciler.Reading(null, "s", t0, 1.0, Map.of()));
        reconciler.submit(new Reconciler.Reading(Reconciler.Reading.Source.PRIMARY, " ", t0, 1.0, Map.of()));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, Double.NaN));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, 250));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", now + 3600, 1.0));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, 1.0));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, 2.0));
        reconciler.flushAll();
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.REPLICA, "s", t0, 1.0));

        assertThat(rejections).containsExactly("missing field: source", "missing field: series",
                "value NaN is not a finite number", "value 250.0 outside [0.0, 100.0]",
                "timestamp " + (now + 3600) + " is 3600 s in the future", "duplicate PRIMARY reading at " + t0,
                "timestamp " + t0 + " is at or before the series' last emitted point " + t0);
        assertThat(reconciler.quality("s").orElseThrow().rejected()).isEqualTo(6);
        assertThat(points).hasSize(1);
    }

    @Test
    void pointsOfASeriesLeaveInTimestampOrderEvenWhenLaterOnesResolveFirst() {
        Reconciler reconciler = reconciler();

        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0, 1.0));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.PRIMARY, "s", t0 + 300, 2.0));
        reconciler.submit(Reconciler.Reading.of(Reconciler.Reading.Source.REPLICA, "s", t0 + 300, 2.0));
        assertThat(points).as("the later point waits for the earlier one").isEmpty();
        clock.advance(Duration.ofSeconds(300));
        reconciler.flushReady();

        assertThat(points).extracting(point -> point.timestamp() - t0).containsExactly(0L, 300L);
        assertThat(points).extracting(ReconcileSink.Point::quality).containsExactly(ReconcileSink.Point.Quality.SINGLE_SOURCE, ReconcileSink.Point.Quality.DEDUPLICATED);
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> Reconciler.builder(sink).interpolationMaxGap(Duration.ofSeconds(60)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("reconciler: interpolationMaxGap must be >= gapDetectionThreshold (PT10M), was PT1M");
    }
}
