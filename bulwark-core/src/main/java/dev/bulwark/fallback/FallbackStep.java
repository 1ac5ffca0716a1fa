package dev.bulwark.fallback;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FallbackStrategy} did for one failed call: answered (with a value, a queue ticket, or a final
 * exception such as a shed call's), or passed to the next strategy. Steps are made by the {@link Failure} the
 * strategy was handed. Immutable.
 *
 * @param <T> the result type
 */
public final class FallbackStep<T> {
    private final FallbackResult.@Nullable Outcome outcome;
    private final @Nullable T value;
    private final OptionalLong ticket;
    private final @Nullable Throwable error;

    FallbackStep(FallbackResult.@Nullable Outcome outcome, @Nullable T value, OptionalLong ticket,
                 @Nullable Throwable error) {
        this.outcome = outcome;
        this.value = value;
        this.ticket = ticket;
        this.error = error;
    }

    /** True when this step ends the execution; false when the next strategy is to be tried. */
    public boolean ended() {
        return outcome != null;
    }

    FallbackResult.@Nullable Outcome outcome() {
        return outcome;
    }

    @Nullable T value() {
        return value;
    }

    OptionalLong ticket() {
        return ticket;
    }

    @Nullable Throwable error() {
        return error;
    }

    @Override
    public String toString() {
        return outcome == null ? "FallbackStep[pass]" : "FallbackStep[" + outcome + "]";
    }
}
