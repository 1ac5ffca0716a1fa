package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreaker.State;
import dev.bulwark.circuit.CircuitBreaker.TransitionReason;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinated half-open step by step on a {@link ManualClock} that drives both breakers and both sync loops (Redis
 * itself is real): the probe permit is claimed before the open period ends, the loser stays open past it, and the
 * winner's CLOSED closes the loser.
 */
class HalfOpenOnManualClockTest {

    private static final Duration OPEN = Duration.ofSeconds(10);
    private static final Duration LEAD = Duration.ofMillis(200);
    private static final Duration TICK = Duration.ofMillis(100);
    private static RedisForTests redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisForTests.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void theLoserOfTheProbePermitStaysOpenUntilTheWinnersVerdictCloses() throws Exception {
        ManualClock clock = new ManualClock();
        try (SharedInstances cluster = new SharedInstances(redis.url, 2,
                b -> b.clockAndScheduler(clock).recoveryTimeout(OPEN).successThreshold(1).halfOpenMaxProbes(1),
                s -> s.clock(clock).scheduler(clock).syncInterval(TICK).probeClaimLead(LEAD)
                        .commandTimeout(Duration.ofSeconds(5)))) { // retries wait for the manual clock: be patient
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            CircuitBreaker a = cluster.breaker(0);
            CircuitBreaker b = cluster.breaker(1);
            SharedInstances.TransitionLatch bAdopts = SharedInstances.onTransition(b, State.OPEN,
                    TransitionReason.PEER_VERDICT);

            a.trip();
            clock.advance(TICK); // A's sync loop notices its OPEN and votes

            assertThat(bAdopts.await(Duration.ofSeconds(5))).isTrue();
            AtomicReference<CircuitBreaker> loser = new AtomicReference<>();
            CountDownLatch lost = new CountDownLatch(1);
            for (CircuitBreaker breaker : cluster.breakers) {
                breaker.subscribe(event -> {
                    if (event instanceof CircuitBreaker.Event.StateTransition t && t.to() == State.OPEN
                            && t.reason() == TransitionReason.PEER_VERDICT && loser.compareAndSet(null, breaker)) {
                        lost.countDown();
                    }
                });
            }

            clock.advance(OPEN.minus(TICK).minus(LEAD)); // both claim the permit, the open periods not over yet

            assertThat(lost.await(5, TimeUnit.SECONDS)).as("one instance loses the permit and stays open").isTrue();
            CircuitBreaker winner = loser.get() == a ? b : a;
            assertThat(winner.state()).isEqualTo(State.OPEN);
            clock.advance(LEAD);
            assertThat(winner.state()).isEqualTo(State.HALF_OPEN);
            assertThat(loser.get().state()).isEqualTo(State.OPEN);
            assertThat(loser.get().tryAcquirePermission()).as("the loser lets no probe of its own through").isFalse();
            SharedInstances.TransitionLatch loserCloses = SharedInstances.onTransition(loser.get(), State.CLOSED,
                    TransitionReason.PEER_VERDICT);

            winner.execute(() -> "probe ok");
            assertThat(winner.state()).isEqualTo(State.CLOSED);
            clock.advance(TICK); // the winner's sync loop publishes CLOSED

            assertThat(loserCloses.await(Duration.ofSeconds(5))).isTrue();
            assertThat(loser.get().tryAcquirePermission()).isTrue();
        }
    }
}
