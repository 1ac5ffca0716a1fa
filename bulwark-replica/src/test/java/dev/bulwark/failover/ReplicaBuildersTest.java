package dev.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.reconcile.ReconcileSink;
import dev.bulwark.reconcile.Reconciler;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The failover group and the reconciler follow core's builder template: a validating config record with a nested
 * builder, {@code toBuilder()}, {@code X.of(config)}; a setting given twice fails naming it.
 */
class ReplicaBuildersTest {
    private final ManualClock clock = new ManualClock();
    private final ReconcileSink sink = point -> { };
    private final Provisioner<String> provisioner = new Provisioner<>() {
        @Override
        public CompletionStage<String> create(String reason) {
            return CompletableFuture.completedFuture("standby");
        }

        @Override
        public CompletionStage<Void> ready(String instance) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> terminate(String instance) {
            return CompletableFuture.completedFuture(null);
        }
    };

    private static void failsAsGivenTwice(ThrowingCallable call, String component, String setting) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(setting);
            assertThat(e.value()).isEqualTo("given twice");
            assertThat(e).hasMessageStartingWith(component + ": " + setting);
        });
    }

    @Test
    void aSettingGivenTwiceFailsNamingIt() {
        failsAsGivenTwice(() -> FailoverGroup.builder("g", "primary", provisioner).riskThreshold(0.2).riskThreshold(0.3),
                "failover group 'g'", "riskThreshold");
        failsAsGivenTwice(() -> Reconciler.builder(sink).tolerance(0.1).tolerance(0.2), "reconciler", "tolerance");
        failsAsGivenTwice(() -> Reconciler.builder(sink).clock(clock).clock(clock), "reconciler", "clock");
        failsAsGivenTwice(() -> FailoverGroup.builder("g", "primary", provisioner).clock(clock).clock(clock),
                "failover group 'g'", "clock");
        failsAsGivenTwice(() -> FailoverGroup.builder("g", "primary", provisioner).clockAndScheduler(clock)
                .scheduler(clock), "failover group 'g'", "scheduler");
    }

    @Test
    void aFailoverConfigRoundTripsThroughToBuilderAndEachSettingMayBeOverriddenOnce() {
        FailoverGroup.Config<String> config = FailoverGroup.builder("g", "primary", provisioner).riskThreshold(0.5)
                .riskWeights(0.5, 0.25, 0.25).clockAndScheduler(clock).buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        FailoverGroup<String> group = FailoverGroup.of(config.toBuilder().historySize(3).buildConfig());
        assertThat(group.config().historySize()).isEqualTo(3);
        assertThat(group.config().riskThreshold()).isEqualTo(0.5);
        assertThat(group.current()).isEqualTo("primary");
    }

    @Test
    void aReconcilerConfigRoundTripsThroughToBuilder() {
        Reconciler.Config config = Reconciler.builder(sink).tolerance(0.01).interval(Duration.ofSeconds(60))
                .clock(clock).buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        assertThat(Reconciler.of(config.toBuilder().tolerance(0.02).buildConfig()).config().tolerance()).isEqualTo(0.02);
    }

    @Test
    void crossFieldChecksFailAtBuild() {
        assertThatThrownBy(() -> Reconciler.builder(sink).gapDetectionThreshold(Duration.ofSeconds(600))
                .interpolationMaxGap(Duration.ofSeconds(60)).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("interpolationMaxGap"));
        assertThatThrownBy(() -> FailoverGroup.builder("g", "primary", provisioner).riskWeights(0.5, 0.5, 0.5).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("riskWeights"));
    }
}
