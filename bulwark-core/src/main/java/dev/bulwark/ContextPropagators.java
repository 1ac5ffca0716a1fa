package dev.bulwark;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/** The JVM-wide list of registered {@link ContextPropagator}s; copy-on-write, so capture reads one volatile field. */
final class ContextPropagators {
    private static final ContextPropagator[] NONE_REGISTERED = new ContextPropagator[0];
    private static final ContextPropagator.Scope NOTHING_TO_UNDO = () -> { };
    static final ContextPropagator.Snapshot EMPTY = new ContextPropagator.Snapshot() {
        @Override
        public ContextPropagator.Scope restore() {
            return NOTHING_TO_UNDO;
        }

        @Override
        public Runnable wrap(Runnable task) {
            return java.util.Objects.requireNonNull(task, "task");
        }
    };
    private static final Object LOCK = new Object();
    private static volatile ContextPropagator[] registered = NONE_REGISTERED;

    private ContextPropagators() {
    }

    static ContextPropagator.Scope register(ContextPropagator propagator) {
        synchronized (LOCK) {
            for (ContextPropagator existing : registered) {
                if (existing == propagator) {
                    throw new IllegalArgumentException("context propagator " + propagator + " is already registered");
                }
            }
            ContextPropagator[] grown = Arrays.copyOf(registered, registered.length + 1);
            grown[grown.length - 1] = propagator;
            registered = grown;
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                unregister(propagator);
            }
        };
    }

    private static void unregister(ContextPropagator propagator) {
        synchronized (LOCK) {
            ContextPropagator[] current = registered;
            int index = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == propagator) {
                    index = i;
                }
            }
            if (index < 0) {
                return;
            }
            ContextPropagator[] shrunk = new ContextPropagator[current.length - 1];
            System.arraycopy(current, 0, shrunk, 0, index);
            System.arraycopy(current, index + 1, shrunk, index, current.length - index - 1);
            registered = shrunk;
        }
    }

    static ContextPropagator.Snapshot captureAll() {
        ContextPropagator[] propagators = registered;
        if (propagators.length == 0) {
            return EMPTY;
        }
        ContextPropagator.Snapshot[] snapshots = new ContextPropagator.Snapshot[propagators.length];
        for (int i = 0; i < propagators.length; i++) {
            snapshots[i] = propagators[i].capture();
        }
        return () -> restoreAll(snapshots);
    }

    private static ContextPropagator.Scope restoreAll(ContextPropagator.Snapshot[] snapshots) {
        ContextPropagator.Scope[] scopes = new ContextPropagator.Scope[snapshots.length];
        for (int i = 0; i < snapshots.length; i++) {
            try {
                scopes[i] = snapshots[i].restore();
            } catch (RuntimeException broken) {
                report(broken);
            }
        }
        return () -> {
            for (int i = scopes.length - 1; i >= 0; i--) {
                ContextPropagator.Scope scope = scopes[i];
                if (scope != null) {
                    try {
                        scope.close();
                    } catch (RuntimeException broken) {
                        report(broken);
                    }
                }
            }
        };
    }

    private static void report(Throwable broken) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, broken);
    }
}
