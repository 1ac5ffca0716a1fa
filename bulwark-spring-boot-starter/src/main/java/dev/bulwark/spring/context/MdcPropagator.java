package dev.bulwark.spring.context;

import dev.bulwark.ContextPropagator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Carries SLF4J's MDC into every thread a call hops to (retry attempts, hedges, waits, timeouts and the fallback
 * after them); the thread's own MDC is put back afterwards, never just cleared.
 */
public final class MdcPropagator implements ContextPropagator {
    @Override
    public Snapshot capture() {
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            install(captured);
            return () -> install(previous);
        };
    }

    private static void install(@Nullable Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(values);
        }
    }
}
