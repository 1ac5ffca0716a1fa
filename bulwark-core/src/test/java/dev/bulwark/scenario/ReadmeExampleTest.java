package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Pipeline;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's example, run as written (with a manual clock), so the documentation cannot rot. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleWorksAndItsEventsCanBeWatched() throws Exception {
        ManualClock clock = new ManualClock();
        List<String> log = new CopyOnWriteArrayList<>();
        CircuitBreaker breaker = CircuitBreaker.builder("payments")
                .consecutiveFailureThreshold(5)
                .failureRateThreshold(50).countWindow(100)
                .recoveryTimeout(Duration.ofSeconds(60))
                .slowCallDuration(Duration.ofSeconds(2))
                .clockAndScheduler(clock)
                .build();
        breaker.subscribe(event -> {
            if (event instanceof CircuitBreaker.Event.StateTransition t) {
                log.add(t.toLogLine());
            }
        });
        Pipeline pipeline = Pipeline.of(breaker);

        assertThat(pipeline.execute(() -> "receipt")).isEqualTo("receipt");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> pipeline.execute(() -> {
                throw new IOException("payments down");
            })).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> pipeline.execute(() -> "never")).isInstanceOf(CircuitOpenException.class);
        clock.advance(Duration.ofSeconds(60));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(log).containsExactly(
                "endpoint=payments state_transition=\"CLOSED -> OPEN\" reason=\"failure_threshold_exceeded\" "
                        + "fail_count=5 success_rate=\"16.67%\"",
                "endpoint=payments state_transition=\"OPEN -> HALF_OPEN\" reason=\"recovery_timeout_elapsed\" "
                        + "fail_count=5 success_rate=\"16.67%\"");
        assertThat(breaker.stats().rejectedCalls()).isEqualTo(1);
    }

    @Test
    void theReadmeDerivesAConfigWithToBuilderAndRefusesASettingGivenTwice() {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").recoveryTimeout(Duration.ofSeconds(60)).build();

        CircuitBreakerConfig slower = breaker.config().toBuilder()
                .recoveryTimeout(Duration.ofSeconds(120))
                .buildConfig();

        assertThat(slower.recoveryTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(slower).isEqualTo(breaker.config().toBuilder().recoveryTimeout(Duration.ofSeconds(120)).buildConfig());
        assertThatThrownBy(() -> breaker.config().toBuilder().recoveryTimeout(Duration.ofSeconds(1))
                .recoveryTimeout(Duration.ofSeconds(2))).isInstanceOf(dev.bulwark.ConfigException.class)
                .hasMessage("circuit 'payments': recoveryTimeout must be given at most once, was given twice");
    }
}
