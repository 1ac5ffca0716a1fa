package dev.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FailoverGroupTest {

    private final ManualClock clock = new ManualClock();

    /** Instances are names; each becomes ready {@code readyAfter} of manual-clock time after it is created. */
    final class Instances implements Provisioner<String> {
        final AtomicInteger created = new AtomicInteger();
        final Set<String> terminated = ConcurrentHashMap.newKeySet();
        final List<String> restored = new CopyOnWriteArrayList<>();
        volatile Duration readyAfter = Duration.ZERO;

        @Override
        public CompletionStage<String> create(String reason) {
            return CompletableFuture.completedFuture("i" + created.incrementAndGet());
        }

        @Override
        public CompletionStage<Void> ready(String instance) {
            if (readyAfter.isZero()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            clock.schedule(readyAfter, () -> ready.complete(null));
            return ready;
        }

        @Override
        public CompletionStage<Void> terminate(String instance) {
            terminated.add(instance);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> restore(@Nullable String lost, String replacement) {
            restored.add(lost + "->" + replacement);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final Instances instances = new Instances();
    private final List<FailoverGroup.Event> events = new CopyOnWriteArrayList<>();

    private FailoverGroup<String> group() {
        FailoverGroup<String> group = FailoverGroup.builder("workers", "i0", instances).clockAndScheduler(clock).build();
        group.subscribe(events::add);
        return group;
    }

    @Test
    void riskIsWeightedFortyThirtyThirtyAndProvisionsAStandbyAtThirtyPercentInAutoMode() {
        FailoverGroup<String> group = group();
        group.enableAuto();

        assertThat(group.earlyWarning(new FailoverGroup.RiskFactors(0.5, 0.2, 0.1))).isCloseTo(0.29, within(1e-9));
        assertThat(group.standby()).isEmpty();
        assertThat(group.earlyWarning(new FailoverGroup.RiskFactors(0.5, 0.2, 0.2))).isCloseTo(0.32, within(1e-9));

        assertThat(group.standby()).contains("i1");
        assertThat(group.standbyReady()).isTrue();
    }

    @Test
    void theRiskModelIsPluggable() {
        FailoverGroup<String> group = FailoverGroup.builder("workers", "i0", instances).clockAndScheduler(clock)
                .riskModel(factors -> factors.volatility()).build();
        group.enableAuto();

        assertThat(group.earlyWarning(new FailoverGroup.RiskFactors(1, 1, 0.2))).isEqualTo(0.2);
        assertThat(group.standby()).isEmpty();
    }

    @Test
    void outsideAutoModeAnEarlyWarningIsOnlyScored() {
        FailoverGroup<String> group = group();

        group.earlyWarning(new FailoverGroup.RiskFactors(1, 1, 1));

        assertThat(group.standby()).isEmpty();
        assertThat(events).contains(new FailoverGroup.Event.RiskAssessed("workers", 1.0, false));
    }

    @Test
    void imminentLossWithAReadyStandbyPromotesItAtOnce() {
        FailoverGroup<String> group = group();
        group.enableAuto();
        group.earlyWarning(new FailoverGroup.RiskFactors(1, 1, 1));

        FailoverGroup.Switch record = group.imminentLoss().toCompletableFuture().join();

        assertThat(record.kind()).isEqualTo(FailoverGroup.Switch.Kind.PROMOTED);
        assertThat(record.duration()).isZero();
        assertThat(group.current()).isEqualTo("i1");
        assertThat(instances.terminated).containsExactly("i0");
    }

    @Test
    void imminentLossWithoutAStandbyRecoversByCreatingRestoringAndSwitching() {
        FailoverGroup<String> group = group();
        group.enableAuto();
        instances.readyAfter = Duration.ofSeconds(40);

        CompletableFuture<FailoverGroup.Switch> failover = group.imminentLoss().toCompletableFuture();
        assertThat(group.current()).as("still routable meanwhile").isEqualTo("i0");
        clock.advance(Duration.ofSeconds(40));

        FailoverGroup.Switch record = failover.join();
        assertThat(record.kind()).isEqualTo(FailoverGroup.Switch.Kind.EMERGENCY_RECOVERY);
        assertThat(record.duration()).isEqualTo(Duration.ofSeconds(40));
        assertThat(instances.restored).containsExactly("i0->i1");
        assertThat(group.current()).isEqualTo("i1");
        assertThat(clock.pendingTasks()).as("grace timer cancelled").isZero();
    }

    @Test
    void emergencyRecoveryBeyondTheGracePeriodFailsAndStillSwitchesWhenTheReplacementArrives() {
        FailoverGroup<String> group = group();
        group.enableAuto();
        instances.readyAfter = Duration.ofSeconds(200);

        CompletableFuture<FailoverGroup.Switch> failover = group.imminentLoss().toCompletableFuture();
        clock.advance(Duration.ofSeconds(120));

        assertThat(failover.handle((value, error) -> error).join()).isInstanceOf(TimeoutException.class);
        assertThat(events).anyMatch(event -> event instanceof FailoverGroup.Event.Failed failed
                && failed.reason().contains("grace period"));
        clock.advance(Duration.ofSeconds(80));
        assertThat(group.current()).isEqualTo("i1");
    }

    @Test
    void autoAndManualExcludeEachOtherBothWaysAndARefusalChangesNothing() {
        FailoverGroup<String> group = group();
        group.enableAuto();
        assertThatThrownBy(group::enableManual).isInstanceOf(IllegalStateException.class)
                .hasMessage("failover group 'workers': cannot enable manual mode while auto mode is active");
        assertThat(group.mode()).isEqualTo(FailoverGroup.ControlMode.AUTO);
        assertThat(group.standby()).isEmpty();

        group.disableAuto();
        group.enableManual();
        assertThatThrownBy(group::enableAuto).isInstanceOf(IllegalStateException.class)
                .hasMessage("failover group 'workers': cannot enable auto mode while manual mode is active");
        assertThat(group.mode()).isEqualTo(FailoverGroup.ControlMode.MANUAL);
    }

    @Test
    void theManualSwitchLoopCanRepeatAndAlwaysLeavesAFreshStandby() {
        FailoverGroup<String> group = group();
        instances.readyAfter = Duration.ofSeconds(30);
        group.enableManual();
        assertThat(group.manualSwitch().toCompletableFuture()).as("standby not ready yet").isCompletedExceptionally();
        clock.advance(Duration.ofSeconds(30));

        for (int round = 1; round <= 5; round++) {
            assertThat(group.standbyReady()).isTrue();
            String next = group.standby().orElseThrow();
            FailoverGroup.Switch record = group.manualSwitch().toCompletableFuture().join();
            assertThat(record.kind()).isEqualTo(FailoverGroup.Switch.Kind.MANUAL_SWITCH);
            assertThat(group.current()).isEqualTo(next);
            assertThat(group.standbyReady()).as("the new standby is still warming up").isFalse();
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(instances.terminated).containsExactlyInAnyOrder("i0", "i1", "i2", "i3", "i4");
        assertThat(group.history()).hasSize(5);
    }

    @Test
    void disablingManualModeTerminatesTheStandby() {
        FailoverGroup<String> group = group();
        group.enableManual();
        String standby = group.standby().orElseThrow();

        group.disableManual();

        assertThat(group.standby()).isEmpty();
        assertThat(instances.terminated).containsExactly(standby);
        assertThat(group.mode()).isEqualTo(FailoverGroup.ControlMode.OFF);
    }

    @Test
    void offModeReportsLossButDoesNothing() {
        FailoverGroup<String> group = group();

        assertThat(group.imminentLoss().toCompletableFuture()).isCompletedExceptionally();
        assertThat(group.current()).isEqualTo("i0");
    }

    @Test
    void concurrentSignalsNeverLeaveAnInvalidRouteOrTwoStandbys() throws Exception {
        FailoverGroup<String> group = group();
        group.enableAuto();
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger invalidRoutes = new AtomicInteger();
        try {
            List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    java.util.Random random = new java.util.Random(seed);
                    for (int i = 0; i < 500; i++) {
                        switch (random.nextInt(3)) {
                            case 0 -> group.earlyWarning(new FailoverGroup.RiskFactors(1, 1, 1));
                            case 1 -> group.imminentLoss();
                            default -> group.healthFailure();
                        }
                        String route = group.current();
                        if (route == null || instances.terminated.contains(route) && route.equals(group.current())) {
                            invalidRoutes.incrementAndGet();
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

        assertThat(invalidRoutes).hasValue(0);
        assertThat(instances.terminated).doesNotContain(group.current());
        int alive = instances.created.get() + 1 - instances.terminated.size();
        assertThat(alive).as("the primary and at most one standby").isBetween(1, 2);
        assertThat(alive).isEqualTo(group.standby().isPresent() ? 2 : 1);
    }

    @Test
    void invalidSettingsFailAtBuild() {
        assertThatThrownBy(() -> FailoverGroup.builder("g", "i0", instances).riskWeights(0.5, 0.5, 0.5).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("failover group 'g': riskWeights must be non-negative and adding up to 1, was 0.5, 0.5, 0.5");
        assertThatThrownBy(() -> new FailoverGroup.RiskFactors(1.5, 0, 0)).isInstanceOf(ConfigException.class)
                .hasMessage("risk factors: failureHistory must be in [0.0, 1.0], was 1.5");
    }
}
