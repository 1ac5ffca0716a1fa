package dev.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A provisioner callback that throws never leaves a failover's stage pending, nor escapes to the caller. */
class ProvisionerFailureTest {

    private static final IllegalStateException TERMINATE_BROKE = new IllegalStateException("terminate broke");

    private final ManualClock clock = new ManualClock();
    private final List<FailoverGroup.Event> events = new CopyOnWriteArrayList<>();

    /** Creates ready instances at once; terminating one throws, and creating one throws {@code createFailure} if set. */
    private final class Throwing implements Provisioner<String> {
        final AtomicInteger created = new AtomicInteger();
        volatile Error createFailure;

        @Override
        public CompletionStage<String> create(String reason) {
            if (createFailure != null) {
                throw createFailure;
            }
            return CompletableFuture.completedFuture("i" + created.incrementAndGet());
        }

        @Override
        public CompletionStage<Void> ready(String instance) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> terminate(String instance) {
            throw TERMINATE_BROKE;
        }
    }

    private final Throwing provisioner = new Throwing();

    private FailoverGroup<String> group() {
        FailoverGroup<String> group = FailoverGroup.builder("workers", "i0", provisioner).clockAndScheduler(clock).build();
        group.subscribe(events::add);
        return group;
    }

    @Test
    void emergencyRecoveryCompletesWhenTerminatingTheLostPrimaryThrows() {
        FailoverGroup<String> group = group();
        group.enableAuto();

        CompletableFuture<FailoverGroup.Switch> outcome = group.imminentLoss().toCompletableFuture();

        assertThat(outcome).isDone();
        assertThat(outcome.join().kind()).isEqualTo(FailoverGroup.Switch.Kind.EMERGENCY_RECOVERY);
        assertThat(group.current()).isEqualTo("i1");
        assertThat(events).filteredOn(FailoverGroup.Event.Failed.class::isInstance).singleElement().asString()
                .contains("terminating i0 failed", "terminate broke");
    }

    @Test
    void promotionCompletesWhenTerminatingTheLostPrimaryThrows() {
        FailoverGroup<String> group = group();
        group.enableManual();
        assertThat(group.standbyReady()).isTrue();

        CompletableFuture<FailoverGroup.Switch> outcome = group.manualSwitch().toCompletableFuture();

        assertThat(outcome).isDone();
        assertThat(outcome.join().kind()).isEqualTo(FailoverGroup.Switch.Kind.MANUAL_SWITCH);
        assertThat(group.current()).isEqualTo("i1");
    }

    @Test
    void disablingManualModeFailsItsStageWithTheTerminationFailure() {
        FailoverGroup<String> group = group();
        group.enableManual();

        CompletableFuture<Void> disabled = group.disableManual().toCompletableFuture();

        assertThat(disabled).isDone();
        assertThatThrownBy(() -> disabled.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(TERMINATE_BROKE);
        assertThat(group.mode()).isEqualTo(FailoverGroup.ControlMode.OFF);
    }

    @Test
    void aCreateThatThrowsAnErrorFailsTheEmergencyRecovery() {
        FailoverGroup<String> group = group();
        group.enableAuto();
        AssertionError broke = new AssertionError("create broke");
        provisioner.createFailure = broke;

        CompletableFuture<FailoverGroup.Switch> outcome = group.imminentLoss().toCompletableFuture();
        clock.advance(Duration.ofMinutes(5));

        assertThat(outcome).isDone();
        assertThatThrownBy(() -> outcome.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(broke);
        assertThat(group.current()).isEqualTo("i0");
    }
}
