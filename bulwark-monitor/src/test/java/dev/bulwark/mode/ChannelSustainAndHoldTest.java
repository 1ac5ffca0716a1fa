package dev.bulwark.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The QoS hysteresis stops brief dips, not sustained degradation; a recovery hold delays stepping down, never
 * stepping up once the cooldown after the last switch is over.
 */
class ChannelSustainAndHoldTest {

    private final ManualClock clock = new ManualClock();
    private final List<ModeOrchestrator.Event> events = new CopyOnWriteArrayList<>();

    private ModeOrchestrator defaults() {
        ModeOrchestrator orchestrator = ModeOrchestrator.builder("system").clockAndScheduler(clock).build();
        orchestrator.subscribe(events::add);
        return orchestrator;
    }

    private static void calls(ModeOrchestrator orchestrator, int successes, int failures) {
        for (int i = 0; i < successes; i++) {
            orchestrator.recordSuccess(-1);
        }
        for (int i = 0; i < failures; i++) {
            orchestrator.recordFailure(-1);
        }
    }

    private double smoothed(ModeOrchestrator orchestrator) {
        return orchestrator.metrics().get("channel:uplink");
    }

    @Test
    void aChannelThatDeclinesSlowlyAndStaysBelowTheThresholdEscalatesWithTheDefaults() {
        ModeOrchestrator orchestrator = defaults();
        long crossedAt = -1;
        for (int step = 0; crossedAt < 0; step++) {
            orchestrator.reportChannel("uplink", 0.9 - step * 0.005); // half a point per second
            orchestrator.evaluate();
            if (smoothed(orchestrator) < 0.5) {
                crossedAt = clock.nanoTime();
            } else {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        assertThat(orchestrator.mode()).as("the drop from the last healthy score is within the hysteresis")
                .isEqualTo(Mode.NORMAL);

        while (clock.nanoTime() - crossedAt < Duration.ofSeconds(29).toNanos()) {
            clock.advance(Duration.ofSeconds(1));
            orchestrator.reportChannel("uplink", 0.45);
            orchestrator.evaluate();
        }
        assertThat(orchestrator.mode()).as("29 s below: still a dip").isEqualTo(Mode.NORMAL);
        clock.advance(Duration.ofSeconds(1));
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).as("30 s below the threshold is sustained").isEqualTo(Mode.DEGRADED);
        assertThat(orchestrator.notification().orElseThrow().trigger()).isEqualTo(ModeChange.Trigger.CHANNEL);
    }

    @Test
    void aDipBelowTheThresholdShorterThanTheSustainPeriodStillEscalatesNothing() {
        ModeOrchestrator orchestrator = ModeOrchestrator.builder("system").channelSmoothing(1.0).clockAndScheduler(clock)
                .build();
        orchestrator.reportChannel("uplink", 0.52);
        for (int second = 0; second < 29; second++) {
            orchestrator.reportChannel("uplink", 0.47);
            orchestrator.evaluate();
            clock.advance(Duration.ofSeconds(1));
        }
        orchestrator.reportChannel("uplink", 0.55);
        clock.advance(Duration.ofMinutes(5));
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
        assertThat(orchestrator.history()).isEmpty();
    }

    @Test
    void aRecoveryHoldNeverBlocksAnEscalationOnceTheCooldownIsOver() {
        ModeOrchestrator orchestrator = defaults(); // cooldown 30 s, hold 60 s
        long start = clock.wallMillis();
        calls(orchestrator, 8, 2);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        clock.advance(Duration.ofSeconds(31)); // the failures leave the window: recovery hold until 91 s
        calls(orchestrator, 10, 0);
        orchestrator.evaluate();
        assertThat(events).last().isEqualTo(new ModeOrchestrator.Event.Held("system", Mode.NORMAL, "recovery hold", start + 91_000));

        clock.advance(Duration.ofSeconds(9)); // 40 s: 10 s past the cooldown, inside the hold
        calls(orchestrator, 0, 30);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
        assertThat(orchestrator.history()).last().extracting(ModeChange::wallMillis).isEqualTo(start + 40_000);
    }

    @Test
    void theCooldownAfterARealSwitchStillHoldsAnEscalation() {
        ModeOrchestrator orchestrator = defaults();
        long start = clock.wallMillis();
        calls(orchestrator, 8, 2);
        orchestrator.evaluate();

        clock.advance(Duration.ofSeconds(20));
        calls(orchestrator, 0, 30);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        assertThat(events).last().isEqualTo(new ModeOrchestrator.Event.Held("system", Mode.EMERGENCY, "cooldown after the last switch",
                start + 30_000));
    }

    @Test
    void aRecoveryProbeThatThrowsHoldsTheModeAndNeverStopsThePeriodicEvaluation() {
        java.util.concurrent.atomic.AtomicBoolean probeBroken = new java.util.concurrent.atomic.AtomicBoolean(true);
        ModeOrchestrator orchestrator = ModeOrchestrator.builder("system").clockAndScheduler(clock).recoveryProbe(() -> {
            if (probeBroken.get()) {
                throw new IllegalStateException("probe broke");
            }
            return true;
        }).build();
        calls(orchestrator, 8, 2);
        orchestrator.evaluate();
        orchestrator.start();

        clock.advance(Duration.ofMinutes(3));
        assertThat(orchestrator.mode()).as("a broken probe is a failed probe").isEqualTo(Mode.DEGRADED);
        probeBroken.set(false);
        clock.advance(Duration.ofMinutes(2));

        assertThat(orchestrator.mode()).as("still evaluated on schedule").isEqualTo(Mode.NORMAL);
        orchestrator.stop();
    }
}
