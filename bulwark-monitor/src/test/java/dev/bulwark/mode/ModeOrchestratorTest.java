package dev.bulwark.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.event.EventSource;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Seed 0's six fixes, each as behaviour, on a manual clock. */
class ModeOrchestratorTest {

    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();
    private final List<ModeOrchestrator.Event> events = new CopyOnWriteArrayList<>();

    private ModeOrchestrator orchestrator(ModeOrchestrator.Config.Builder builder) {
        ModeOrchestrator orchestrator = builder.clockAndScheduler(clock).build();
        orchestrator.subscribe(events::add);
        return orchestrator;
    }

    private ModeOrchestrator defaults() {
        return orchestrator(ModeOrchestrator.builder("system"));
    }

    private static void calls(ModeOrchestrator orchestrator, int successes, int failures) {
        for (int i = 0; i < successes; i++) {
            orchestrator.recordSuccess(-1);
        }
        for (int i = 0; i < failures; i++) {
            orchestrator.recordFailure(-1);
        }
    }

    @Test
    void fix1_theErrorRateTriggerFiresOverItsSlidingTimeWindow() {
        ModeOrchestrator orchestrator = defaults();

        calls(orchestrator, 0, 9);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).as("nine calls are below the minimum of ten").isEqualTo(Mode.NORMAL);
        calls(orchestrator, 1, 0);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
        ModeChange change = orchestrator.notification().orElseThrow();
        assertThat(change.trigger()).isEqualTo(ModeChange.Trigger.ERROR_RATE);
        assertThat(change.reason()).isEqualTo("error rate 90.0 % over 10 calls in 30 s");
        assertThat(change.snapshot()).containsEntry("errorRatePercent", 90.0);
    }

    @Test
    void theErrorRateThresholdsAreGivenInPercentLikeEveryRate() {
        ModeOrchestrator orchestrator = orchestrator(ModeOrchestrator.builder("system")
                .errorRate(Duration.ofSeconds(30), 20, 40));

        calls(orchestrator, 7, 3);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).as("30 % is at least 20 % and below 40 %").isEqualTo(Mode.DEGRADED);
        assertThat(orchestrator.metrics()).containsEntry("errorRatePercent", 30.0);
        ModeOrchestrator.Config defaults = ModeOrchestrator.builder("d").buildConfig();
        assertThat(defaults.errorRateDegraded()).isEqualTo(10.0);
        assertThat(defaults.errorRateEmergency()).isEqualTo(50.0);
    }

    @Test
    void fix1_errorsOlderThanTheWindowNoLongerCount() {
        ModeOrchestrator orchestrator = defaults();
        calls(orchestrator, 0, 20);
        clock.advance(Duration.ofSeconds(31));

        calls(orchestrator, 18, 2);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).as("10 % of the last 30 s, the old failures are out").isEqualTo(Mode.DEGRADED);
    }

    @Test
    void fix2_staleLatencyIsTrimmedByTimeSoALongRunIsNotSkewed() {
        ModeOrchestrator orchestrator = defaults();
        for (int i = 0; i < 50; i++) {
            orchestrator.recordSuccess(8_000 * MS);
        }
        clock.advance(Duration.ofSeconds(61));

        for (int i = 0; i < 10; i++) {
            orchestrator.recordSuccess(20 * MS);
        }
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
        assertThat(orchestrator.metrics()).containsEntry("latencySamples", 10.0).containsEntry("meanLatencyMillis", 20.0);
    }

    @Test
    void fix2_sustainedSlownessTriggersThePerformanceTrigger() {
        ModeOrchestrator orchestrator = defaults();
        for (int i = 0; i < 10; i++) {
            orchestrator.recordSuccess(1_500 * MS);
        }
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        assertThat(orchestrator.notification().orElseThrow().trigger()).isEqualTo(ModeChange.Trigger.PERFORMANCE);
    }

    @Test
    void fix3_theRecoveryHoldStatesWhenTheStepDownComesSoNothingIsHeldUnexplained() {
        ModeOrchestrator orchestrator = defaults(); // cooldown 30 s, hold 60 s
        long start = clock.wallMillis();
        calls(orchestrator, 8, 2);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);

        clock.advance(Duration.ofSeconds(31)); // the failures leave the window
        calls(orchestrator, 10, 0);
        orchestrator.evaluate();

        ModeOrchestrator.Event.Held held = (ModeOrchestrator.Event.Held) events.stream().filter(ModeOrchestrator.Event.Held.class::isInstance).findFirst().orElseThrow();
        assertThat(held.because()).isEqualTo("recovery hold");
        assertThat(held.untilWallMillis()).as("the cooldown now ends with the hold").isEqualTo(start + 91_000);
        clock.advance(Duration.ofSeconds(59));
        calls(orchestrator, 10, 0);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        clock.advance(Duration.ofSeconds(1));
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void fix3_aSwitchDuringTheCooldownIsHeldWithItsReasonAndEnd() {
        ModeOrchestrator orchestrator = orchestrator(ModeOrchestrator.builder("system").cooldown(Duration.ofSeconds(10)));
        calls(orchestrator, 8, 2);
        orchestrator.evaluate();
        long switchedAt = clock.wallMillis();

        calls(orchestrator, 0, 20);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        assertThat(events).last().isEqualTo(new ModeOrchestrator.Event.Held("system", Mode.EMERGENCY, "cooldown after the last switch",
                switchedAt + 10_000));
        clock.advance(Duration.ofSeconds(10));
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
    }

    @Test
    void recoveryStepsDownOneLevelAtATimeAndOnlyWhenTheProbePasses() {
        AtomicBoolean probe = new AtomicBoolean(false);
        ModeOrchestrator orchestrator = orchestrator(ModeOrchestrator.builder("system").recoveryProbe(probe::get)
                .recovery(0.8, Duration.ofSeconds(10)).cooldown(Duration.ofSeconds(5)));
        calls(orchestrator, 0, 10);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
        clock.advance(Duration.ofSeconds(31));

        orchestrator.evaluate();
        clock.advance(Duration.ofSeconds(10));
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).as("the probe failed").isEqualTo(Mode.EMERGENCY);
        probe.set(true);
        clock.advance(Duration.ofSeconds(10));
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        orchestrator.evaluate();
        clock.advance(Duration.ofSeconds(10));
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
        assertThat(orchestrator.history()).extracting(ModeChange::to)
                .containsExactly(Mode.EMERGENCY, Mode.DEGRADED, Mode.NORMAL);
    }

    @Test
    void fix4_concurrentRecordingLosesNoCallAndEveryChangeIsLegal() throws Exception {
        ModeOrchestrator orchestrator = orchestrator(ModeOrchestrator.builder("system").cooldown(Duration.ZERO)
                .recovery(0.8, Duration.ZERO).evaluationInterval(Duration.ofNanos(1)));
        int threads = 8;
        int perThread = 5_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    java.util.Random random = new java.util.Random(seed);
                    for (int i = 0; i < perThread; i++) {
                        if (random.nextInt(3) == 0) {
                            orchestrator.recordFailure(random.nextInt(2_000) * MS);
                        } else {
                            orchestrator.recordSuccess(random.nextInt(200) * MS);
                        }
                        if (i % 500 == 0) {
                            orchestrator.evaluate();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> worker : workers) {
                worker.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(orchestrator.metrics()).containsEntry("calls", (double) threads * perThread);
        List<ModeChange> history = orchestrator.history();
        for (int i = 0; i < history.size(); i++) {
            ModeChange change = history.get(i);
            if (i > 0) {
                assertThat(change.from()).isEqualTo(history.get(i - 1).to());
            }
            if (change.to().compareTo(change.from()) < 0) {
                assertThat(change.from().ordinal() - change.to().ordinal()).as("recovery steps one level").isEqualTo(1);
            }
        }
    }

    @Test
    void fix5_theDownstreamFlagIsSetWithItsDataAndClearedOnNormal() throws Exception {
        ModeOrchestrator orchestrator = orchestrator(ModeOrchestrator.builder("system").recovery(0.8, Duration.ZERO)
                .cooldown(Duration.ZERO));
        CompletableFuture<ModeChange> emergency = orchestrator.whenActive(Mode.EMERGENCY).toCompletableFuture();
        assertThat(orchestrator.isActive(Mode.DEGRADED)).isFalse();

        orchestrator.force(Mode.EMERGENCY, "operator drill");

        assertThat(orchestrator.isActive(Mode.DEGRADED)).isTrue();
        assertThat(orchestrator.isActive(Mode.EMERGENCY)).isTrue();
        assertThat(emergency).isCompleted();
        assertThat(emergency.join().reason()).isEqualTo("forced: operator drill");
        assertThat(orchestrator.awaitActive(Mode.EMERGENCY, Duration.ofMillis(1))).isTrue();
        assertThat(orchestrator.notification()).get().extracting(ModeChange::trigger).isEqualTo(ModeChange.Trigger.MANUAL);

        orchestrator.release();
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
        assertThat(orchestrator.notification()).isEmpty();
        assertThat(orchestrator.isActive(Mode.DEGRADED)).isFalse();
    }

    @Test
    void fix6_aBriefQosDipIsIgnoredAndASustainedDropTriggers() {
        ModeOrchestrator orchestrator = defaults();
        for (int i = 0; i < 5; i++) {
            orchestrator.reportChannel("uplink", 0.9);
        }
        orchestrator.reportChannel("uplink", 0.3);
        orchestrator.reportChannel("uplink", 0.9);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).as("one low report is a dip").isEqualTo(Mode.NORMAL);

        for (int i = 0; i < 5; i++) {
            orchestrator.reportChannel("uplink", 0.3);
        }
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        assertThat(orchestrator.notification().orElseThrow().trigger()).isEqualTo(ModeChange.Trigger.CHANNEL);
    }

    @Test
    void fix6_aChannelHoveringAroundTheThresholdWithinTheHysteresisIsNoise() {
        ModeOrchestrator orchestrator = orchestrator(ModeOrchestrator.builder("system").channelSmoothing(1.0));
        orchestrator.reportChannel("link", 0.52);
        orchestrator.reportChannel("link", 0.47);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
        orchestrator.reportChannel("link", 0.35);
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
    }

    @Test
    void onceStartedItRecoversWithoutTrafficAndStopsCleanly() {
        ModeOrchestrator orchestrator = defaults();
        calls(orchestrator, 0, 10);
        orchestrator.evaluate();
        orchestrator.start();

        clock.advance(Duration.ofMinutes(5)); // no call at all: the failures age out, the hold passes twice

        assertThat(orchestrator.mode()).isEqualTo(Mode.NORMAL);
        orchestrator.stop();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aForcedModeIgnoresTheCooldown() {
        ModeOrchestrator orchestrator = defaults();
        calls(orchestrator, 8, 2);
        orchestrator.evaluate();

        orchestrator.force(Mode.EMERGENCY, "incident 42");

        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
    }

    @Test
    void feedsFromTheRegistrysCircuitBreakers() {
        Registry registry = new Registry();
        ModeOrchestrator orchestrator = defaults();
        EventSource.Subscription wiring = orchestrator.feedFrom(registry);
        CircuitBreaker breaker = registry.register(CircuitBreaker.builder("payments").clock(clock)
                .consecutiveFailureThreshold(0).failureRateThreshold(100).build());

        for (int i = 0; i < 10; i++) {
            try {
                breaker.execute(() -> {
                    throw new IOException("down");
                });
            } catch (Exception expected) {
                // fed to the orchestrator through the breaker's events
            }
        }
        orchestrator.evaluate();
        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
        assertThat(orchestrator.notification().orElseThrow().trigger()).isEqualTo(ModeChange.Trigger.ERROR_RATE);

        assertThat(orchestrator.metrics()).containsEntry("channel:circuit:payments", 0.3);

        wiring.cancel();
        breaker.reset();
        assertThat(orchestrator.metrics()).as("no longer fed").containsEntry("channel:circuit:payments", 0.3);
    }

    @Test
    void anOpenCircuitCallsForDegradedThroughItsChannel() {
        Registry registry = new Registry();
        ModeOrchestrator orchestrator = defaults();
        orchestrator.feedFrom(registry);
        CircuitBreaker breaker = registry.register(CircuitBreaker.builder("search").clock(clock).build());

        breaker.trip();
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.DEGRADED);
        assertThat(orchestrator.notification().orElseThrow().reason()).isEqualTo("channel 'circuit:search' health 0.30");
    }

    @Test
    void aStrainedResourceInTheRegistryMovesTheMode() {
        Registry registry = new Registry();
        ModeOrchestrator orchestrator = defaults();
        orchestrator.feedFrom(registry);
        double[] usage = {50};
        dev.bulwark.resource.ResourceMonitor resources = registry.register(dev.bulwark.resource.ResourceMonitor
                .builder("app").clockAndScheduler(clock).systemReadings(false).readingCacheInterval(Duration.ZERO)
                .gauge(dev.bulwark.resource.ResourceType.DATABASE, () -> usage[0]).build());
        resources.check(dev.bulwark.resource.ResourceType.DATABASE);

        usage[0] = 97;
        resources.check(dev.bulwark.resource.ResourceType.DATABASE);
        orchestrator.evaluate();

        assertThat(orchestrator.mode()).isEqualTo(Mode.EMERGENCY);
        assertThat(orchestrator.notification().orElseThrow().reason()).isEqualTo("resource 'database' implies EMERGENCY");
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> ModeOrchestrator.builder("m").errorRate(Duration.ofSeconds(30), 60, 50).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("mode orchestrator 'm': errorRateEmergency must be in [60.0, 100.0], was 50.0");
        assertThatThrownBy(() -> ModeOrchestrator.builder("m").errorRate(Duration.ofSeconds(30), 0, 50).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("mode orchestrator 'm': errorRateDegraded must be in (0.0, 100.0]");
        assertThatThrownBy(() -> ModeOrchestrator.builder("m").errorRate(Duration.ofMillis(10), 10, 50).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("mode orchestrator 'm': errorRateWindow must be between 1 s and 1 h, was PT0.01S");
    }
}
