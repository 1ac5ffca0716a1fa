package dev.bulwark.microprofile;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A policy that changes nothing and watches the calls passing it: placed between Bulwark's policies of a MicroProfile
 * operation, it tells its {@link Watcher} when each call (or attempt) enters and how it ended, synchronous or not. The
 * stage it returns is the inner one, so cancelling still reaches the policies inside.
 */
final class Probe implements Policy {

    /** What a probe reports to. */
    interface Watcher {
        /** A call enters; the returned context goes inward (a watcher may add values for an inner probe). */
        default ExecutionContext enter(ExecutionContext context) {
            return context;
        }

        /** The call ended {@code nanos} after it entered, with {@code failure} or (null) a value. */
        void exit(ExecutionContext context, long nanos, @Nullable Throwable failure);
    }

    private final String name;
    private final Watcher watcher;
    private final Clock clock = Clock.system();

    Probe(String name, Watcher watcher) {
        this.name = name;
        this.watcher = watcher;
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        long start = clock.nanoTime();
        ExecutionContext inner = watcher.enter(context);
        T value;
        try {
            value = next.proceed(inner, call);
        } catch (Exception | Error failure) {
            watcher.exit(inner, clock.nanoTime() - start, failure);
            throw failure;
        }
        watcher.exit(inner, clock.nanoTime() - start, null);
        return value;
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        long start = clock.nanoTime();
        ExecutionContext inner = watcher.enter(context);
        CompletionStage<T> stage = next.proceedAsync(inner, call);
        stage.whenComplete((value, error) -> watcher.exit(inner, clock.nanoTime() - start,
                error == null ? null : MpExceptions.unwrap(error)));
        return stage;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return Policy.class;
    }
}
