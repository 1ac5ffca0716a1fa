package dev.bulwark.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CircuitBreakerConfigTest {

    @Test
    void defaultsComeFromTheSeeds() {
        CircuitBreakerConfig config = CircuitBreaker.builder("payments").buildConfig();

        assertThat(config.consecutiveFailureThreshold()).isEqualTo(5);
        assertThat(config.recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxRecoveryTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.exponentialBackoff()).isTrue();
        assertThat(config.successThreshold()).isEqualTo(3);
        assertThat(config.halfOpenMaxProbes()).isEqualTo(3);
        assertThat(config.ewmaAlpha()).isEqualTo(0.3);
        assertThat(config.adaptiveSensitivity()).isEqualTo(2.0);
        assertThat(config.minHealthScore()).isEqualTo(0.3);
        assertThat(config.healthRecoveryScore()).isEqualTo(0.7);
        assertThat(config.latencySamples()).isEqualTo(50);
        assertThat(config.retentionPeriod()).isEqualTo(Duration.ofHours(24));
        assertThat(config.cleanupInterval()).isEqualTo(Duration.ofHours(1));
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid(b -> b.failureRateThreshold(120), "failureRateThreshold must be in [0.0, 100.0], was 120.0"),
                invalid(b -> b.failureRateThreshold(-0.5), "failureRateThreshold must be in [0.0, 100.0], was -0.5"),
                invalid(b -> b.failureRateThreshold(Double.NaN), "failureRateThreshold must be in [0.0, 100.0], was NaN"),
                invalid(b -> b.consecutiveFailureThreshold(-1), "consecutiveFailureThreshold must be >= 0, was -1"),
                invalid(b -> b.countWindow(0), "windowSize must be in [1, 100000], was 0"),
                invalid(b -> b.timeWindow(7200), "windowSize must be in [1, 3600], was 7200"),
                invalid(b -> b.countWindow(5), "minimumNumberOfCalls must be <= windowSize (5) for a count-based window, was 10"),
                invalid(b -> b.ewmaAlpha(0.001), "ewmaAlpha must be in [0.01, 1.0], was 0.001"),
                invalid(b -> b.ewmaAlpha(1.5), "ewmaAlpha must be in [0.01, 1.0], was 1.5"),
                invalid(b -> b.adaptiveSensitivity(9), "adaptiveSensitivity must be in [0.5, 5.0], was 9.0"),
                invalid(b -> b.recoveryTimeout(Duration.ofSeconds(-1)), "recoveryTimeout must be a duration >= 0, was PT-1S"),
                invalid(b -> b.maxRecoveryTimeout(Duration.ofSeconds(30)), "maxRecoveryTimeout must be >= recoveryTimeout (PT1M), was PT30S"),
                invalid(b -> b.successThreshold(0), "successThreshold must be >= 1, was 0"),
                invalid(b -> b.halfOpenMaxProbes(2), "halfOpenMaxProbes must be >= 3, was 2"),
                invalid(b -> b.slowCallDuration(Duration.ofMillis(-5)), "slowCallDuration must be a duration >= 0, was PT-0.005S"),
                invalid(b -> b.minHealthScore(1.2), "minHealthScore must be in [0.0, 1.0], was 1.2"),
                invalid(b -> b.healthRecoveryScore(0.2), "healthRecoveryScore must be in [0.3, 1.0], was 0.2"),
                invalid(b -> b.backoffMultiplier(0.5), "backoffMultiplier must be in [1.0, 100.0], was 0.5"));
    }

    private static Arguments invalid(UnaryOperator<CircuitBreakerConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void invalidSettingsFailAtBuildNamingFieldValueAndRange(UnaryOperator<CircuitBreakerConfig.Builder> change,
                                                           String message) {
        assertThatThrownBy(() -> change.apply(CircuitBreaker.builder("payments")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("circuit 'payments': " + message);
    }

    @Test
    void blankNamesAreRefused() {
        assertThatThrownBy(() -> CircuitBreaker.builder(" ").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("circuit: name must be a non-blank name, was ' '");
    }

    @Test
    void configExceptionExposesItsParts() {
        ConfigException error = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> CircuitBreaker.builder("p").ewmaAlpha(2).build());

        assertThat(error.field()).isEqualTo("ewmaAlpha");
        assertThat(error.value()).isEqualTo("2.0");
        assertThat(error.allowed()).isEqualTo("in [0.01, 1.0]");
    }

    @Test
    void toBuilderDerivesAChangedCopyAndLeavesTheOriginal() {
        CircuitBreakerConfig original = CircuitBreaker.builder("a").consecutiveFailureThreshold(7).buildConfig();

        CircuitBreakerConfig derived = original.toBuilder().name("b").recoveryTimeout(Duration.ofSeconds(10)).buildConfig();

        assertThat(derived.name()).isEqualTo("b");
        assertThat(derived.consecutiveFailureThreshold()).isEqualTo(7);
        assertThat(derived.recoveryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(original.recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    }
}
