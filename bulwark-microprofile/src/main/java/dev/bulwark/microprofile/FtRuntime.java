package dev.bulwark.microprofile;

import java.util.concurrent.Future;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.jspecify.annotations.Nullable;

/** What an operation needs from the container at run time: fallback handler beans, the asynchronous executor, metrics. */
interface FtRuntime {

    /** A fallback handler instance (a CDI bean of that class). */
    FallbackHandler<?> handler(Class<?> type);

    /** Runs {@code task} on another thread with the request context active; cancelling the future interrupts it. */
    Future<?> submit(Runnable task);

    /** Where the metrics of the method named {@code method} (fully qualified) go; null (the default) when off. */
    default @Nullable MethodMetrics metrics(String method) {
        return null;
    }
}
