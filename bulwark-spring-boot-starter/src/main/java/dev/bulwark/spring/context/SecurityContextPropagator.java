package dev.bulwark.spring.context;

import dev.bulwark.ContextPropagator;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Carries Spring Security's {@link SecurityContext} into every thread a call hops to; the thread's own context is
 * put back afterwards.
 */
public final class SecurityContextPropagator implements ContextPropagator {
    @Override
    public Snapshot capture() {
        SecurityContext captured = SecurityContextHolder.getContext();
        return () -> {
            SecurityContext previous = SecurityContextHolder.getContext();
            SecurityContextHolder.setContext(captured);
            return () -> SecurityContextHolder.setContext(previous);
        };
    }
}
