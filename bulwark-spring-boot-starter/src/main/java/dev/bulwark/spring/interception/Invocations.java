package dev.bulwark.spring.interception;

import dev.bulwark.ExecutionContext;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;

/** Running the intercepted method once per attempt, and the invocation carried in the execution context. */
public final class Invocations {
    /** The method invocation a pipeline runs, for the fallback (its arguments and the proxy). */
    public static final ExecutionContext.Key<MethodInvocation> INVOCATION = ExecutionContext.Key.of("bulwark.invocation",
            MethodInvocation.class);

    private Invocations() {
    }

    /** The invocation the context carries, if any. */
    public static Optional<MethodInvocation> of(ExecutionContext context) {
        return context.get(INVOCATION);
    }

    /**
     * Runs the rest of the interceptor chain and the method once more: each attempt (retry, hedge) proceeds on its own
     * copy of the invocation, since Spring's invocation can proceed only once.
     */
    static @Nullable Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone().proceed()
                    : invocation.proceed();
        } catch (Exception | Error passThrough) {
            throw passThrough;
        } catch (Throwable other) {
            throw new UndeclaredThrowableException(other);
        }
    }

    /** The failure inside a {@link CompletionException} wrapper. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Rethrows an {@link Exception} or {@link Error} as is, anything else wrapped. */
    static Exception asException(Throwable failure) {
        if (failure instanceof Exception exception) {
            return exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new UndeclaredThrowableException(failure);
    }
}
