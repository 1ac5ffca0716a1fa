package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreaker.State;
import dev.bulwark.circuit.CircuitBreaker.TransitionReason;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several instances against one real Redis: OPEN verdicts under both policies, and the cluster failure rate. */
class SharedVerdictsTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
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
    void anInstanceOpeningIsAdoptedByItsPeersUnderAnyInstance() throws Exception {
        try (SharedInstances cluster = new SharedInstances(redis.url, 3,
                b -> b.consecutiveFailureThreshold(3).recoveryTimeout(Duration.ofSeconds(30)), s -> s)) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            SharedInstances.TransitionLatch opened = SharedInstances.onTransition(cluster.breaker(0), State.OPEN, null);
            SharedInstances.TransitionLatch b = SharedInstances.onTransition(cluster.breaker(1), State.OPEN,
                    TransitionReason.PEER_VERDICT);
            SharedInstances.TransitionLatch c = SharedInstances.onTransition(cluster.breaker(2), State.OPEN,
                    TransitionReason.PEER_VERDICT);

            fail(cluster.breaker(0), 3);

            assertThat(opened.await(BOUND)).isTrue();
            assertThat(b.await(BOUND)).as("B adopts A's OPEN").isTrue();
            assertThat(c.await(BOUND)).as("C adopts A's OPEN").isTrue();
            assertThat(cluster.breaker(1).tryAcquirePermission()).isFalse();
            assertThat(cluster.breaker(1).stats().failedCalls()).isZero();
            System.out.println(String.format(java.util.Locale.ROOT,
                    "[shared-breakers] OPEN adopted after %.1f ms (B) and %.1f ms (C); sync interval 100 ms",
                    (b.atNanos - opened.atNanos) / 1e6, (c.atNanos - opened.atNanos) / 1e6));
        }
    }

    @Test
    void underAQuorumOfTwoOneInstanceAloneIsNotAdoptedButTwoAre() throws Exception {
        try (SharedInstances cluster = new SharedInstances(redis.url, 3,
                b -> b.consecutiveFailureThreshold(3).recoveryTimeout(Duration.ofSeconds(30)),
                s -> s.verdictPolicy(VerdictPolicy.quorum(2)))) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            CountDownLatch aVoteSeenByB = verdictSeen(cluster, 1, "i0");
            CountDownLatch aVoteSeenByC = verdictSeen(cluster, 2, "i0");
            SharedInstances.TransitionLatch bAdopts = SharedInstances.onTransition(cluster.breaker(1), State.OPEN,
                    TransitionReason.PEER_VERDICT);

            fail(cluster.breaker(0), 3);

            assertThat(aVoteSeenByB.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(aVoteSeenByC.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.breaker(1).state()).as("one sick instance does not open B").isEqualTo(State.CLOSED);
            assertThat(cluster.breaker(2).state()).isEqualTo(State.CLOSED);

            fail(cluster.breaker(2), 3);

            assertThat(bAdopts.await(BOUND)).as("two votes open B").isTrue();
            assertThat(cluster.breaker(1).tryAcquirePermission()).isFalse();
        }
    }

    @Test
    void theClusterFailureRateOpensEveryInstanceWhenEachAloneIsUnderItsMinimumOfCalls() throws Exception {
        try (SharedInstances cluster = new SharedInstances(redis.url, 3,
                b -> b.consecutiveFailureThreshold(0).minimumNumberOfCalls(10).failureRateThreshold(50)
                        .recoveryTimeout(Duration.ofSeconds(30)), s -> s)) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            SharedInstances.TransitionLatch[] adopted = new SharedInstances.TransitionLatch[3];
            for (int i = 0; i < 3; i++) {
                adopted[i] = SharedInstances.onTransition(cluster.breaker(i), State.OPEN, TransitionReason.PEER_VERDICT);
            }

            for (int i = 0; i < 3; i++) {
                fail(cluster.breaker(i), 3);
                succeed(cluster.breaker(i), 1);
                assertThat(cluster.breaker(i).stats().failureRatePercent()).as("4 calls: not judged locally").isEmpty();
            }

            for (int i = 0; i < 3; i++) {
                assertThat(adopted[i].await(BOUND)).as("instance %d opened by the cluster's 75%% over 12 calls", i)
                        .isTrue();
            }
        }
    }

    @Test
    void aBreakerOpenedLocallyStaysOpenWhateverThePeersSay() throws Exception {
        try (SharedInstances cluster = new SharedInstances(redis.url, 2,
                b -> b.consecutiveFailureThreshold(2).recoveryTimeout(Duration.ofSeconds(30)),
                s -> s.verdictPolicy(VerdictPolicy.quorum(2)))) {
            cluster.awaitAll(SharedStateHealth.State.HEALTHY);
            CountDownLatch seenByB = verdictSeen(cluster, 1, "i0");

            fail(cluster.breaker(0), 2);

            assertThat(seenByB.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.breaker(0).state()).isEqualTo(State.OPEN);
            assertThat(cluster.breaker(1).state()).isEqualTo(State.CLOSED);
        }
    }

    static CountDownLatch verdictSeen(SharedInstances cluster, int instance, String from) {
        CountDownLatch seen = new CountDownLatch(1);
        cluster.observeVerdicts(instance, v -> {
            if (v.instanceId().equals(from) && v.kind() == Verdict.Kind.OPEN) {
                seen.countDown();
            }
        });
        return seen;
    }

    static void fail(CircuitBreaker breaker, int times) {
        for (int i = 0; i < times; i++) {
            try {
                breaker.execute(() -> {
                    throw new IllegalStateException("down");
                });
            } catch (Exception expected) {
                // the failure is the point
            }
        }
    }

    static void succeed(CircuitBreaker breaker, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            breaker.execute(() -> "ok");
        }
    }
}
