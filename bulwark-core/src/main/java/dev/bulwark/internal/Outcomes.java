package dev.bulwark.internal;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArraySet;

/** How policies classify the way a call ended. */
public final class Outcomes {
    private Outcomes() {
    }

    /** The real failure inside the wrappers that {@code CompletableFuture} adds. */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** True when the call did not finish because it was cancelled or interrupted: no verdict on the dependency. */
    public static boolean isCancellation(Throwable failure) {
        return failure instanceof CancellationException || failure instanceof InterruptedException;
    }

    /** True when the call failed by running out of time. */
    public static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof java.net.SocketTimeoutException
                || isBulwarkTimeout(failure);
    }

    /**
     * Rethrows a failure caught from a call that may throw {@code Exception}: checked exceptions and
     * errors unchanged. Use as {@code throw Outcomes.rethrow(failure)}.
     */
    public static Exception rethrow(Throwable failure) throws Exception {
        if (failure instanceof Exception exception) {
            throw exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("unexpected throwable", failure);
    }

    /**
     * Bulwark's own timeout exceptions, which are unchecked and so cannot extend {@link TimeoutException}; each
     * registers itself when its class is initialised, so any instance is known here. A registry rather than a marker
     * interface keeps this package out of their public signatures.
     */
    private static final Set<Class<? extends Throwable>> TIMEOUT_TYPES = new CopyOnWriteArraySet<>();

    /** Makes {@link #isTimeout} true for instances of {@code type}. */
    public static void countAsTimeout(Class<? extends Throwable> type) {
        TIMEOUT_TYPES.add(type);
    }

    private static boolean isBulwarkTimeout(Throwable failure) {
        for (Class<? extends Throwable> type : TIMEOUT_TYPES) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }
}
