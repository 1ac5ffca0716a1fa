package dev.bulwark.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The fan-out follows the builder template: a validating config record, a nested builder, toBuilder and of(config). */
class FanOutConfigTest {
    private final ManualClock clock = new ManualClock();
    private final Adapter<String, String> echo = Adapter.async("echo",
            (request, context) -> CompletableFuture.completedFuture(request));

    @Test
    void theDefaultsAreDocumentedOnes() {
        FanOut.Config config = FanOut.builder("f").buildConfig();
        assertThat(config.strategy()).isEqualTo(Strategy.ALL);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxConcurrentAdapters()).isEqualTo(10);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.initializationShare()).isEqualTo(0.3);
        assertThat(config.executor()).isNull();
    }

    @Test
    void aSettingGivenTwiceFailsNamingIt() {
        assertThatThrownBy(() -> FanOut.builder("f").timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'f': timeout must be given at most once, was given twice");
        assertThatThrownBy(() -> FanOut.builder("f").strategy(Strategy.ALL).strategy(Strategy.BEST_EFFORT))
                .isInstanceOf(ConfigException.class).hasMessageContaining("strategy must be given at most once");
        assertThatThrownBy(() -> FanOut.builder("f").clock(clock).clock(clock))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clock must be given at most once");
    }

    @Test
    void everyRangeIsCheckedAtBuildConfigWithFieldValueAndRange() {
        assertThatThrownBy(() -> FanOut.builder("f").maxConcurrentAdapters(0).buildConfig())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'f': maxConcurrentAdapters must be in [1, 10000], was 0");
        assertThatThrownBy(() -> FanOut.builder("f").shutdownTimeout(Duration.ZERO).buildConfig())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'f': shutdownTimeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> FanOut.builder("f").initializationShare(1.5).buildConfig())
                .isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'f': initializationShare must be in [0.0, 1.0], was 1.5");
        assertThatThrownBy(() -> FanOut.builder(" ").buildConfig()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> FanOut.<String, String>builder("f").build()).isInstanceOf(ConfigException.class)
                .hasMessage("fan-out 'f': adapters must be at least one adapter, was none");
    }

    @Test
    void toBuilderRoundTripsToAnEqualConfigAndAllowsEachSettingOnce() {
        Executor direct = Runnable::run;
        FanOut.Config config = FanOut.builder("f").strategy(Strategy.FIRST_SUCCESS).timeout(Duration.ofSeconds(2))
                .maxConcurrentAdapters(3).shutdownTimeout(Duration.ofSeconds(4)).initializationShare(0.5)
                .executor(direct).clockAndScheduler(clock).buildConfig();

        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        FanOut.Config shorter = config.toBuilder().timeout(Duration.ofSeconds(1)).buildConfig();
        assertThat(shorter.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(shorter.toBuilder().timeout(Duration.ofSeconds(2)).buildConfig()).isEqualTo(config);
        assertThatThrownBy(() -> config.toBuilder().timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(3)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeout must be given at most once");
    }

    @Test
    void aFanOutOfAConfigRunsWithItsSettings() throws Exception {
        FanOut.Config config = FanOut.builder("f").strategy(Strategy.FIRST_SUCCESS).clockAndScheduler(clock).buildConfig();
        FanOut<String, String> fanOut = FanOut.of(config, List.of(echo));

        assertThat(fanOut.config()).isEqualTo(config);
        assertThat(fanOut.name()).isEqualTo("f");
        FanOutResult<String> result = fanOut.execute("q", FanOut.RequestOptions.defaults());
        assertThat(result.strategy()).isEqualTo(Strategy.FIRST_SUCCESS);
        assertThat(result.values()).containsExactly("q");
        assertThatThrownBy(() -> FanOut.of(config, List.of())).isInstanceOf(ConfigException.class);
    }

    @Test
    void aRequestTimeoutMustBePositive() {
        assertThatThrownBy(() -> FanOut.RequestOptions.defaults().timeout(Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessage("fan-out request: timeout must be a positive duration, was PT0S");
    }
}
