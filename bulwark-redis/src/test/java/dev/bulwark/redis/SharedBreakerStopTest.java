package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * A shared breaker that was stopped (detached, replaced) arms no probe claim, even when a sync that was already under
 * way finds a new OPEN of its breaker after the stop. The link is never connected: nothing here reaches Redis.
 */
class SharedBreakerStopTest {

    @Test
    void aSyncEndingAfterStopArmsNoProbeClaimWhileOneBeforeStopDoes() {
        ManualClock breakerClock = new ManualClock();
        ManualClock sharingClock = new ManualClock();
        SharedBreakerConfig config = SharedBreakerConfig.builder().clock(sharingClock).scheduler(sharingClock).build();

        assertThat(claimsArmedAfterAnOpen(config, breakerClock, false)).as("a running breaker arms its claim")
                .isEqualTo(1);
        assertThat(claimsArmedAfterAnOpen(config, breakerClock, true)).as("a stopped one arms none").isZero();
    }

    private static int claimsArmedAfterAnOpen(SharedBreakerConfig config, ManualClock breakerClock, boolean stopFirst) {
        ManualClock sharingClock = (ManualClock) config.scheduler();
        int before = sharingClock.pendingTasks();
        CircuitBreaker breaker = CircuitBreaker.builder("backend").clockAndScheduler(breakerClock)
                .recoveryTimeout(Duration.ofSeconds(10)).build();
        try (VerdictLink link = new VerdictLink(RedisEndpoint.of("redis://127.0.0.1:1"), Duration.ofSeconds(1),
                "verdicts", message -> { }, () -> { }, failure -> { })) {
            SharedBreaker shared = new SharedBreaker(breaker, config, link, "verdicts", new LongAdder());
            if (stopFirst) {
                shared.stop();
            }
            breaker.trip();
            shared.sync();
            int armed = sharingClock.pendingTasks() - before;
            shared.stop();
            return armed;
        }
    }
}
