package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Several Bulwark "instances" in one JVM against one Redis: each has its own breaker and its own
 * {@link SharedCircuitBreakers} (its own Lettuce client and connections), all under one unique key prefix.
 */
final class SharedInstances implements AutoCloseable {

    /** The Redis of {@code .ci/run} (BULWARK_TEST_REDIS_URL) when set, else null: start a {@link RedisServer}. */
    static String ciRedisUrl() {
        String url = System.getenv("BULWARK_TEST_REDIS_URL");
        return url == null || url.isBlank() ? null : url;
    }

    final List<CircuitBreaker> breakers = new ArrayList<>();
    final List<SharedCircuitBreakers> shared = new ArrayList<>();
    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

    SharedInstances(String redisUrl, int count, UnaryOperator<CircuitBreakerConfig.Builder> breaker,
                    UnaryOperator<SharedBreakerConfig.Builder> sharing) {
        for (int i = 0; i < count; i++) {
            CircuitBreaker b = breaker.apply(CircuitBreaker.builder("backend")).build();
            SharedCircuitBreakers s = SharedCircuitBreakers.connect(RedisEndpoint.of(redisUrl),
                    sharing.apply(SharedBreakerConfig.builder().keyPrefix(prefix).instanceId("i" + i)).build());
            s.attach(b);
            breakers.add(b);
            shared.add(s);
        }
    }

    CircuitBreaker breaker(int i) {
        return breakers.get(i);
    }

    /** Waits (bounded) until every instance reports {@code status}. */
    void awaitAll(SharedStateHealth.State status) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(shared.size());
        for (SharedCircuitBreakers s : shared) {
            CountDownLatch once = new CountDownLatch(1);
            s.onHealthChange(h -> {
                if (h.state() == status && once.getCount() > 0) {
                    once.countDown();
                    reached.countDown();
                }
            });
            synchronized (once) {
                if (s.health().state() == status && once.getCount() > 0) {
                    once.countDown();
                    reached.countDown();
                }
            }
        }
        assertThat(reached.await(15, TimeUnit.SECONDS)).as("all instances " + status).isTrue();
    }

    /** A latch counted down at the first transition of breaker {@code i} to {@code state}; records when (nanos). */
    static TransitionLatch onTransition(CircuitBreaker breaker, CircuitBreaker.State state,
                                        CircuitBreaker.TransitionReason reason) {
        TransitionLatch latch = new TransitionLatch();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition t && t.to() == state
                    && (reason == null || t.reason() == reason)) {
                latch.hit();
            }
        });
        return latch;
    }

    static final class TransitionLatch {
        final CountDownLatch latch = new CountDownLatch(1);
        volatile long atNanos;

        synchronized void hit() {
            if (latch.getCount() > 0) {
                atNanos = dev.bulwark.time.Clock.system().nanoTime();
                latch.countDown();
            }
        }

        boolean await(Duration timeout) throws InterruptedException {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void observeVerdicts(int i, Consumer<Verdict> observer) {
        shared.get(i).observeVerdicts(observer);
    }

    @Override
    public void close() {
        shared.forEach(SharedCircuitBreakers::close);
    }
}
