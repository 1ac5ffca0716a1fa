package dev.bulwark.fallback;

import org.jspecify.annotations.Nullable;

/**
 * A reason besides concurrency for a {@link LoadShedder} to refuse calls: a strained resource, say
 * ({@code ResourceMonitor.pressure(type, key)} in bulwark-monitor). Implementations must be fast and thread-safe.
 */
@FunctionalInterface
public interface ShedSignal {

    /** Why a call of {@code priority} is to be shed now (for the exception's message), or null to admit it. */
    @Nullable String refusal(Priority priority);
}
