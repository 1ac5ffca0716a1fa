package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.Clock;
import dev.bulwark.time.ManualClock;
import dev.bulwark.time.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract of {@link TimedBuilder} as a user's own component builder sees it. */
class TimedBuilderTest {

    /** A user's component: a poller with an interval, its settings and a builder on Bulwark's base. */
    record PollerConfig(String name, Duration interval, Clock clock, Scheduler scheduler) {
        PollerBuilder toBuilder() {
            return new PollerBuilder(this);
        }
    }

    static final class PollerBuilder extends TimedBuilder<PollerBuilder> {
        private final String name;
        private Duration interval = Duration.ofSeconds(30);

        PollerBuilder(String name) {
            this.name = name;
        }

        private PollerBuilder(PollerConfig config) {
            this(config.name());
            startFrom(config.clock(), config.scheduler());
            interval = config.interval();
        }

        @Override
        protected String component() {
            return "poller '" + name + "'";
        }

        PollerBuilder interval(Duration interval) {
            given("interval");
            this.interval = interval;
            return this;
        }

        PollerConfig build() {
            return new PollerConfig(name, interval, configuredClock(), configuredScheduler());
        }
    }

    private final ManualClock manual = new ManualClock();

    private static void failsAsGivenTwice(Runnable call, String setting) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e).hasMessageStartingWith("poller 'p': " + setting + " must be given at most once");
            assertThat(e.field()).isEqualTo(setting);
            assertThat(e.value()).isEqualTo("given twice");
            assertThat(e.allowed()).isEqualTo("given at most once");
        });
    }

    @Test
    void theClockAndSchedulerDefaultToTheSystemOnes() {
        PollerConfig config = new PollerBuilder("p").build();

        assertThat(config.clock()).isSameAs(Clock.system());
        assertThat(config.scheduler()).isSameAs(Scheduler.system());
    }

    @Test
    void clockAndSchedulerGivesOneObjectAsBoth() {
        PollerConfig config = new PollerBuilder("p").clockAndScheduler(manual).build();

        assertThat(config.clock()).isSameAs(manual);
        assertThat(config.scheduler()).isSameAs(manual);
    }

    @Test
    void eachTimeSettingAndEachOwnSettingIsGivenOnce() {
        failsAsGivenTwice(() -> new PollerBuilder("p").clock(manual).clock(manual), "clock");
        failsAsGivenTwice(() -> new PollerBuilder("p").scheduler(manual).clockAndScheduler(manual), "scheduler");
        failsAsGivenTwice(() -> new PollerBuilder("p").clockAndScheduler(manual).clock(manual), "clock");
        failsAsGivenTwice(() -> new PollerBuilder("p").interval(Duration.ofSeconds(1)).interval(Duration.ofSeconds(2)),
                "interval");
    }

    @Test
    void aBuilderStartedFromAConfigKeepsItsTimeSettingsAndMayOverrideEachOnce() {
        PollerConfig original = new PollerBuilder("p").clockAndScheduler(manual).interval(Duration.ofSeconds(5)).build();

        assertThat(original.toBuilder().build()).isEqualTo(original);

        ManualClock other = new ManualClock();
        PollerConfig derived = original.toBuilder().clock(other).build();
        assertThat(derived.clock()).isSameAs(other);
        assertThat(derived.scheduler()).isSameAs(manual);
        assertThat(derived.interval()).isEqualTo(Duration.ofSeconds(5));
        failsAsGivenTwice(() -> original.toBuilder().scheduler(other).scheduler(other), "scheduler");
    }

    @Test
    void aNullClockOrSchedulerIsRefused() {
        assertThatThrownBy(() -> new PollerBuilder("p").clock(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("clock");
        assertThatThrownBy(() -> new PollerBuilder("p").scheduler(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("scheduler");
    }
}
