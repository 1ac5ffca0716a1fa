package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.time.ManualClock;
import org.junit.jupiter.api.Test;

/** Typed values in the execution context: identity keys, immutable contexts, the type kept. */
class ExecutionContextTest {

    private static final ExecutionContext.Key<String> PROVIDER = ExecutionContext.Key.of("provider", String.class);
    private static final ExecutionContext.Key<Integer> MAX_TOKENS = ExecutionContext.Key.of("max_tokens", Integer.class);

    @Test
    void aValueIsReadBackWithItsTypeAndContextsNeverChange() {
        ExecutionContext base = ExecutionContext.detached();
        ExecutionContext claude = base.with(PROVIDER, "claude");
        ExecutionContext degraded = claude.with(MAX_TOKENS, 500).with(PROVIDER, "gemini");

        int tokens = degraded.get(MAX_TOKENS).orElseThrow();
        assertThat(tokens).isEqualTo(500);
        assertThat(degraded.get(PROVIDER)).contains("gemini");
        assertThat(claude.get(PROVIDER)).contains("claude");
        assertThat(claude.get(MAX_TOKENS)).isEmpty();
        assertThat(base.keys()).isEmpty();
        assertThat(degraded.keys()).containsExactly(PROVIDER, MAX_TOKENS);
        assertThat(degraded.getOrDefault(ExecutionContext.Key.of("other", String.class), "none")).isEqualTo("none");
        assertThat(degraded.without(PROVIDER).keys()).containsExactly(MAX_TOKENS);
        assertThat(degraded).hasToString("ExecutionContext[attempt=1, provider=gemini, max_tokens=500]");
    }

    @Test
    void keysAreComparedByIdentityNotByName() {
        ExecutionContext.Key<String> otherProvider = ExecutionContext.Key.of("provider", String.class);

        ExecutionContext context = ExecutionContext.detached().with(PROVIDER, "claude");

        assertThat(context.get(otherProvider)).isEmpty();
        assertThat(context.with(otherProvider, "gemini").keys()).containsExactly(PROVIDER, otherProvider);
    }

    @Test
    void valuesTravelWithDerivedContextsAndCanBeCopiedIntoAnother() {
        ManualClock clock = new ManualClock();
        ExecutionContext carried = ExecutionContext.detached().with(PROVIDER, "claude");

        ExecutionContext started = ExecutionContext.start(clock).withDeadline(clock.nanoTime() + 5).with(MAX_TOKENS, 1)
                .withValuesOf(carried).withAttempt(2);

        assertThat(started.get(PROVIDER)).contains("claude");
        assertThat(started.get(MAX_TOKENS)).contains(1);
        assertThat(started.hasDeadline()).isTrue();
        assertThat(started.attempt()).isEqualTo(2);
        assertThat(started.startNanos()).isEqualTo(clock.nanoTime());
        assertThat(ExecutionContext.start(clock).withValuesOf(ExecutionContext.detached()).keys()).isEmpty();
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aKeyRefusesABlankNameAPrimitiveTypeNullsAndAValueOfAnotherType() {
        assertThatThrownBy(() -> ExecutionContext.Key.of(" ", String.class)).isInstanceOf(ConfigException.class)
                .hasMessage("context key: name must be a non-blank name, was  ");
        assertThatThrownBy(() -> ExecutionContext.Key.of("n", int.class)).isInstanceOf(ConfigException.class)
                .hasMessage("context key 'n': type must be a reference type (Integer.class, not int.class), was int");
        assertThatThrownBy(() -> ExecutionContext.detached().with(PROVIDER, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("value of key provider");
        ExecutionContext.Key raw = PROVIDER;
        assertThatThrownBy(() -> ExecutionContext.detached().with(raw, 42)).isInstanceOf(ClassCastException.class);
    }
}
