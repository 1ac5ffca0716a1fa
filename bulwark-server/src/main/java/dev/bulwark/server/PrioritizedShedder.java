package dev.bulwark.server;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.event.Component;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.fallback.LoadShedder;
import dev.bulwark.time.Clock;
import dev.bulwark.yaml.AdapterFallback;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * An adapter's {@code load_shed}: core's {@link LoadShedder} over the adapter's capacity, the query's priority read
 * from the adapter's priority header (carried in the context as {@link Priorities}; NORMAL without the header).
 * Thread-safe.
 */
final class PrioritizedShedder implements Policy {
    /** Each configured priority header's value for one query, by lower-case header name. */
    record Priorities(Map<String, LoadShedder.Priority> byHeader) {
        static final ExecutionContext.Key<Priorities> KEY = ExecutionContext.Key.of("priorities", Priorities.class);

        Priorities {
            byHeader = Map.copyOf(byHeader);
        }
    }

    private final LoadShedder shedder;
    private final AdapterFallback.LoadShed settings;

    PrioritizedShedder(String adapter, AdapterFallback.LoadShed settings, Clock clock) {
        this.shedder = LoadShedder.of(LoadShedder.builder(adapter).capacity(settings.capacity()).clock(clock).buildConfig());
        this.settings = settings;
    }

    AdapterFallback.LoadShed settings() {
        return settings;
    }

    /** The priority a header value names, case-insensitively; null for a value that names none. */
    static LoadShedder.@org.jspecify.annotations.Nullable Priority parse(String value) {
        try {
            return LoadShedder.Priority.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private ExecutionContext prioritized(ExecutionContext context) {
        LoadShedder.Priority priority = context.get(Priorities.KEY)
                .map(all -> all.byHeader().get(settings.priorityHeader().toLowerCase(Locale.ROOT)))
                .orElse(LoadShedder.Priority.NORMAL);
        return context.with(LoadShedder.Priority.KEY, priority);
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        return shedder.intercept(prioritized(context), call, next);
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        return shedder.interceptAsync(prioritized(context), call, next);
    }

    @Override
    public String name() {
        return shedder.name();
    }

    @Override
    public Class<? extends Component> kind() {
        return PrioritizedShedder.class;
    }

    @Override
    public Clock clock() {
        return shedder.clock();
    }

    @Override
    public String toString() {
        return shedder.toString();
    }
}
