package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedBreakerConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SharedBreakerConfig config = SharedBreakerConfig.defaults();

        assertThat(config.keyPrefix()).isEqualTo("bulwark");
        assertThat(config.verdictPolicy()).isEqualTo(VerdictPolicy.anyInstance());
        assertThat(config.syncInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.clusterWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.probeClaimLead()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.instanceId()).isNotBlank().isNotEqualTo(SharedBreakerConfig.defaults().instanceId());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        SharedBreakerConfig config = SharedBreakerConfig.builder().keyPrefix("svc:a").instanceId("pod-7")
                .verdictPolicy(VerdictPolicy.quorum(3)).syncInterval(Duration.ofMillis(50))
                .commandTimeout(Duration.ofMillis(80)).heartbeatInterval(Duration.ofSeconds(2))
                .clusterWindow(Duration.ofSeconds(30)).probeClaimLead(Duration.ofMillis(20)).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void invalidSettingsNameTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> SharedBreakerConfig.builder().syncInterval(Duration.ofMillis(5)).build())
                .hasMessage("shared breakers: syncInterval must be [PT0.01S, PT10S], was PT0.005S");
        assertThatThrownBy(() -> SharedBreakerConfig.builder().heartbeatInterval(Duration.ofMillis(50)).build())
                .hasMessage("shared breakers: heartbeatInterval must be [PT0.1S, PT1M], was PT0.05S");
        assertThatThrownBy(() -> SharedBreakerConfig.builder().clusterWindow(Duration.ofMillis(1500)).build())
                .hasMessage("shared breakers: clusterWindow must be whole seconds, was PT1.5S");
        assertThatThrownBy(() -> SharedBreakerConfig.builder().keyPrefix("has space").build())
                .hasMessage("shared breakers: keyPrefix must be 1 to 64 of letters, digits, . _ - :, was 'has space'");
        assertThatThrownBy(() -> SharedBreakerConfig.builder().instanceId("a b").build())
                .hasMessage("shared breakers: instanceId must be 1 to 128 characters, no whitespace, was 'a b'");
        assertThatThrownBy(() -> VerdictPolicy.quorum(0))
                .hasMessage("verdictPolicy: quorum must be >= 1, was 0");
    }

    @Test
    void verdictsSurviveTheChannelIncludingNamesWithSpaces() {
        Verdict verdict = new Verdict(Verdict.Kind.OPEN, 1_700_000_000_123L, "pod-7", "payments eu");

        assertThat(Verdict.decode(verdict.encode())).isEqualTo(verdict);
        assertThat(Verdict.decode("hello")).isNull();
        assertThat(Verdict.decode("MAYBE 1 pod-7 payments")).isNull();
    }
}
