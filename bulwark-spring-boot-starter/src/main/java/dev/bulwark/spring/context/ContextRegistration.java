package dev.bulwark.spring.context;

import dev.bulwark.ContextPropagator;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;

/**
 * Registers the application's {@link ContextPropagator} beans with Bulwark for as long as the application context
 * lives: the built-in MDC and security propagators when their libraries are present, and any of the application's
 * own (tracing, tenant, locale...).
 */
public final class ContextRegistration implements DisposableBean {
    private final List<ContextPropagator.Scope> registered = new ArrayList<>();

    /** Registers each of {@code propagators}, in order. */
    public ContextRegistration(List<ContextPropagator> propagators) {
        for (ContextPropagator propagator : propagators) {
            registered.add(ContextPropagator.register(propagator));
        }
    }

    /** Unregisters them, last first. */
    @Override
    public void destroy() {
        for (int i = registered.size() - 1; i >= 0; i--) {
            registered.get(i).close();
        }
        registered.clear();
    }
}
