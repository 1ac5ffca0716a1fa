package dev.bulwark.microprofile;

import java.util.concurrent.Future;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;

/** What an operation needs from the container at run time: fallback handler beans and the asynchronous executor. */
interface FtRuntime {

    /** A fallback handler instance (a CDI bean of that class). */
    FallbackHandler<?> handler(Class<?> type);

    /** Runs {@code task} on another thread with the request context active; cancelling the future interrupts it. */
    Future<?> submit(Runnable task);
}
