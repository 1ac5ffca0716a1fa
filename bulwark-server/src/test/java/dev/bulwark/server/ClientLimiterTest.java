package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.ServerLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientLimiterTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void eachClientHasItsOwnBucketRefilledAtTheRate() {
        ClientLimiter limiter = new ClientLimiter(new ServerLimits.ClientRateLimit(2, 1, "X-Client-Id", 10), clock);

        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.tryAcquire("b")).isTrue();
        clock.advance(Duration.ofMillis(500));
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.retryAfterSeconds()).as("half a second, rounded up to whole seconds").isEqualTo(1);
    }

    @Test
    void aFloodOfClientIdsKeepsAtMostMaxClientsForgettingTheLeastRecentlySeen() {
        ClientLimiter limiter = new ClientLimiter(new ServerLimits.ClientRateLimit(0.001, 1, "X-Client-Id", 3), clock);
        assertThat(limiter.tryAcquire("steady")).isTrue();

        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire("flood-" + i);
            if (i % 2 == 0) {
                assertThat(limiter.tryAcquire("steady")).as("still tracked, still empty").isFalse();
            }
        }

        assertThat(limiter.trackedClients()).isEqualTo(3);
        assertThat(limiter.retryAfterSeconds()).isEqualTo(1000);
    }
}
