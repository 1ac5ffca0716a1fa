package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.Clock;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The fallback follows the builder template: config record, builder, toBuilder, of(config), a setting given once. */
class FallbackConfigTest extends FakeLlmFixture {

    private final FallbackStrategy<String> busy = FallbackStrategy.answer("busy");
    private final FallbackStrategy<String> shed = FallbackStrategy.shed();

    @Test
    void theDefaultsHandleEveryExceptionAcceptEveryResultAndRunTheStrategiesInTheDefaultOrder() throws Exception {
        FallbackStrategy<String> switchProvider = FallbackStrategy.switchProvider(PROVIDER, "model-b");
        Fallback.Config<String> config = Fallback.<String>builder("llm").add(shed).add(busy).add(switchProvider)
                .buildConfig();

        assertThat(config.name()).isEqualTo("llm");
        assertThat(config.handledTypes()).isEmpty();
        assertThat(config.handledIf()).isEmpty();
        assertThat(config.unacceptedResult()).isNull();
        assertThat(config.strategies()).containsExactly(switchProvider, busy, shed);
        assertThat(config.explicitOrder()).isFalse();
        assertThat(config.clock()).isSameAs(Clock.system());

        Fallback<String> fallback = Fallback.of(config);
        FallbackResult<String> result = fallback.executeForResult(prompt("hi"), ctx -> {
            throw new IllegalStateException("any exception");
        });
        assertThat(result.outcome()).isEqualTo(FallbackResult.Outcome.SUBSTITUTED);
        assertThat(result.trail()).as("the switch first, then the value; the shed never ran").containsExactly(
                "primary: IllegalStateException any exception",
                "provider model-b: IllegalStateException any exception", "substituted");
        assertThat(fallback.<String>execute(prompt("hi"), ctx -> null)).as("a null result is accepted").isNull();
    }

    @Test
    void everySettingIsCheckedAtBuildNamingTheFieldAndTheValue() {
        assertThatThrownBy(() -> Fallback.<String>builder(" ").add(busy).build()).isInstanceOf(ConfigException.class)
                .hasMessage("fallback: name must be a non-blank name, was ' '");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").build()).isInstanceOf(ConfigException.class)
                .hasMessage("fallback 'llm': strategies must be at least one strategy, was []");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").add(busy).add(busy).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("fallback 'llm': strategies must be each strategy at most once");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").strategies(busy).add(shed).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("fallback 'llm': strategies must be either strategies(...) in your order");
        assertThatThrownBy(() -> Fallback.<String>builder("llm").add(busy).buildConfig().toBuilder().name(" ").build())
                .isInstanceOf(ConfigException.class).hasMessage("fallback: name must be a non-blank name, was ' '");
    }

    @Test
    void nullsAreRefusedWhenGivenOrWhenTheConfigIsMade() {
        Fallback.Builder<String> builder = Fallback.builder("llm");
        assertThatThrownBy(() -> Fallback.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> builder.add(null)).isInstanceOf(NullPointerException.class).hasMessage("strategy");
        assertThatThrownBy(() -> builder.strategies(busy, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("strategies holds a null");
        assertThatThrownBy(() -> builder.handle(IOException.class, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("type");
        assertThatThrownBy(() -> builder.handleIf(null)).isInstanceOf(NullPointerException.class).hasMessage("condition");
        assertThatThrownBy(() -> builder.handleResult(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("unacceptable");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");

        List<Class<? extends Throwable>> types = new ArrayList<>();
        types.add(null);
        assertThatThrownBy(() -> new Fallback.Config<>("llm", types, List.of(), null, List.of(busy), false, clock))
                .isInstanceOf(NullPointerException.class).hasMessage("handledTypes holds a null");
        assertThatThrownBy(() -> new Fallback.Config<>("llm", List.of(), null, null, List.of(busy), false, clock))
                .isInstanceOf(NullPointerException.class).hasMessage("handledIf");
        assertThatThrownBy(() -> new Fallback.Config<>("llm", List.of(), List.of(), null, null, false, clock))
                .isInstanceOf(NullPointerException.class).hasMessage("strategies");
        assertThatThrownBy(() -> new Fallback.Config<>("llm", List.of(), List.of(), null, List.of(busy), false, null))
                .isInstanceOf(NullPointerException.class).hasMessage("clock");
    }

    @Test
    void aSettingGivenTwiceFailsNamingItWhileHandleAndAddAppend() {
        Predicate<String> blank = String::isBlank;
        for (String setting : List.of("name", "handleResult", "strategies", "clock")) {
            Fallback.Builder<String> builder = Fallback.builder("llm");
            Runnable give = switch (setting) {
                case "name" -> () -> builder.name("other");
                case "handleResult" -> () -> builder.handleResult(blank);
                case "strategies" -> () -> builder.strategies(busy);
                default -> () -> builder.clock(clock);
            };
            give.run();
            String named = setting.equals("name") ? "other" : "llm";
            assertThatThrownBy(give::run).as(setting).isInstanceOf(ConfigException.class)
                    .hasMessage("fallback '" + named + "': " + setting + " must be given at most once, was given twice");
        }

        Fallback.Config<String> config = Fallback.<String>builder("llm").handle(IOException.class)
                .handle(TimeoutException.class).handleIf(blank::equals).handleIf(error -> false).add(busy).add(shed)
                .buildConfig();
        assertThat(config.handledTypes()).containsExactly(IOException.class, TimeoutException.class);
        assertThat(config.handledIf()).hasSize(2);
        assertThat(config.strategies()).containsExactly(busy, shed);
    }

    @Test
    void toBuilderRoundTripsEverySettingAndMakesAnEquivalentFallback() throws Exception {
        Predicate<Throwable> retryable = error -> String.valueOf(error.getMessage()).startsWith("retryable");
        Predicate<String> blank = String::isBlank;
        FallbackStrategy<String> switchProvider = FallbackStrategy.switchProvider(PROVIDER, "model-b");
        Fallback<String> original = Fallback.<String>builder("llm").handle(IOException.class).handleIf(retryable)
                .handleResult(blank).strategies(busy, switchProvider).clock(clock).build();
        Fallback.Config<String> config = original.config();
        assertThat(config.explicitOrder()).isTrue();

        Fallback.Config<String> copy = config.toBuilder().buildConfig();
        Fallback<String> derived = copy.toBuilder().build();

        assertThat(copy).isEqualTo(config);
        assertThat(derived.config()).isEqualTo(config);
        assertThat(derived.strategies()).containsExactly(busy, switchProvider);
        down.add("model-a");
        FallbackResult<String> before = original.executeForResult(prompt("hi"), llm);
        FallbackResult<String> after = derived.executeForResult(prompt("hi"), llm);
        assertThat(after.outcome()).isEqualTo(before.outcome()).isEqualTo(FallbackResult.Outcome.SUBSTITUTED);
        assertThat(after.value()).isEqualTo(before.value()).isEqualTo("busy");
        assertThat(after.trail()).isEqualTo(before.trail());
        assertThat(derived.<String>execute(prompt("hi"), ctx -> " ")).as("the result predicate came along").isEqualTo("busy");
        assertThatThrownBy(() -> derived.execute(prompt("hi"), ctx -> {
            throw new IllegalStateException("not handled");
        })).as("the handled exceptions came along").isInstanceOf(IllegalStateException.class);
        assertThat(derived.<String>execute(prompt("hi"), ctx -> {
            throw new IllegalStateException("retryable");
        })).isEqualTo("busy");
    }

    @Test
    void aDefaultOrderRoundTripsAndStrategiesAddedToADerivedBuilderJoinTheOrderTheConfigHad() {
        FallbackStrategy<String> switchProvider = FallbackStrategy.switchProvider(PROVIDER, "model-b");
        Fallback.Config<String> defaultOrder = Fallback.<String>builder("llm").add(shed).add(busy).buildConfig();
        Fallback.Config<String> explicit = Fallback.<String>builder("llm").strategies(shed, busy).buildConfig();

        assertThat(defaultOrder.toBuilder().buildConfig()).isEqualTo(defaultOrder);
        assertThat(defaultOrder.toBuilder().add(switchProvider).buildConfig().strategies())
                .as("still the default order").containsExactly(switchProvider, busy, shed);
        assertThat(explicit.toBuilder().add(switchProvider).buildConfig().strategies())
                .as("after the explicit order").containsExactly(shed, busy, switchProvider);
        assertThat(explicit.toBuilder().add(switchProvider).buildConfig().explicitOrder()).isTrue();
        assertThat(defaultOrder.toBuilder().strategies(busy).buildConfig())
                .as("strategies(...) replaces what the config had").satisfies(replaced -> {
                    assertThat(replaced.strategies()).containsExactly(busy);
                    assertThat(replaced.explicitOrder()).isTrue();
                });
        ManualClock other = new ManualClock();
        assertThat(explicit.toBuilder().name("llm-2").clock(other).buildConfig())
                .isEqualTo(new Fallback.Config<>("llm-2", List.of(), List.of(), null, List.of(shed, busy), true, other));
        assertThatThrownBy(() -> explicit.toBuilder().clock(other).clock(other)).isInstanceOf(ConfigException.class)
                .hasMessage("fallback 'llm': clock must be given at most once, was given twice");
    }

    @Test
    void ofAConfigUsesItsSettingsAndTheConfigPutsUnorderedStrategiesInTheDefaultOrder() throws Exception {
        Fallback.Config<String> unordered = new Fallback.Config<>("llm", List.of(IOException.class), List.of(), null,
                Arrays.asList(shed, busy), false, clock);
        Fallback.Config<String> ordered = new Fallback.Config<>("llm", List.of(IOException.class), List.of(), null,
                List.of(shed, busy), true, clock);

        Fallback<String> fallback = Fallback.of(unordered);

        assertThat(fallback.config()).isSameAs(unordered);
        assertThat(unordered.strategies()).containsExactly(busy, shed);
        assertThat(ordered.strategies()).containsExactly(shed, busy);
        assertThat(fallback.name()).isEqualTo("llm");
        assertThat(fallback.clock()).isSameAs(clock);
        assertThat(fallback.<String>execute(prompt("hi"), ctx -> {
            throw new IOException("down");
        })).isEqualTo("busy");
        assertThatThrownBy(() -> Fallback.of(ordered).execute(prompt("hi"), ctx -> {
            throw new IOException("down");
        })).as("the shed strategy comes first when the order is explicit").isInstanceOf(LoadShedException.class);
        assertThatThrownBy(() -> fallback.execute(prompt("hi"), ctx -> {
            throw new IllegalStateException("not an IOException");
        })).isInstanceOf(IllegalStateException.class);
    }
}
