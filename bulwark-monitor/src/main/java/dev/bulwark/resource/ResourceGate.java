package dev.bulwark.resource;

import dev.bulwark.AsyncSupplier;
import dev.bulwark.Chain;
import dev.bulwark.ContextualSupplier;
import dev.bulwark.ExecutionContext;
import dev.bulwark.Policy;
import dev.bulwark.event.Component;
import dev.bulwark.internal.Checks;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A policy that checks a resource before each call: when the resource is constrained (CRITICAL or EXHAUSTED) under
 * the key the call's context gives, the call is not made and a {@link ResourceUnavailableException} is thrown.
 *
 * <p>Placed inside a fallback, a constrained resource becomes a failure the fallback handles, checked again for
 * every attempt the fallback makes: with {@code Pipeline.of(fallback, retry, gate)} and a key read from the
 * provider key, an exhausted quota skips the primary, is not retried (a rejection), and each alternative provider
 * is checked under its own name before it is called.
 *
 * <pre>{@code
 * ResourceGate quota = ResourceGate.of("llm-quota", resources, ResourceType.API_QUOTA, ctx -> ctx.getOrDefault(PROVIDER, "gpt-4"));
 * }</pre>
 *
 * A key or exemption function that throws ends the call with its exception. This class is thread-safe if the monitor and the
 * key function are.
 */
public final class ResourceGate implements Policy {
    private final String name;
    private final ResourceMonitor monitor;
    private final ResourceType type;
    private final Function<ExecutionContext, String> keyOfContext;
    private final Predicate<ExecutionContext> exempt;

    private ResourceGate(String name, ResourceMonitor monitor, ResourceType type, Function<ExecutionContext, String> keyOfContext,
                         Predicate<ExecutionContext> exempt) {
        this.name = name;
        this.monitor = monitor;
        this.type = type;
        this.keyOfContext = keyOfContext;
        this.exempt = exempt;
    }

    /**
     * A gate called {@code name} over {@code type} in {@code monitor}, under the key {@code keyOfContext} gives.
     *
     * @throws dev.bulwark.ConfigException if the name is blank
     */
    public static ResourceGate of(String name, ResourceMonitor monitor, ResourceType type,
                                  Function<ExecutionContext, String> keyOfContext) {
        return new ResourceGate(Checks.name("resource gate", name), Objects.requireNonNull(monitor, "monitor"),
                Objects.requireNonNull(type, "type"), Objects.requireNonNull(keyOfContext, "keyOfContext"), context -> false);
    }

    /**
     * This gate, letting the calls whose context {@code exempt} accepts through unchecked: a degraded call sized for
     * the constrained resource (a smaller batch when memory is critical), say. Default: no call is exempt.
     */
    public ResourceGate unless(Predicate<ExecutionContext> exempt) {
        return new ResourceGate(name, monitor, type, keyOfContext, Objects.requireNonNull(exempt, "exempt"));
    }

    /** Null when the call may go ahead, else the rejection. */
    private @Nullable ResourceUnavailableException refusal(ExecutionContext context) {
        if (exempt.test(context)) {
            return null;
        }
        String key = Objects.requireNonNull(keyOfContext.apply(context), "resource key");
        ResourceMonitor.Status status = monitor.check(type, key).status();
        return status.usable() ? null : new ResourceUnavailableException(name, type, key, status.name());
    }

    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        ResourceUnavailableException refused = refusal(context);
        if (refused != null) {
            throw refused;
        }
        return next.proceed(context, call);
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        ResourceUnavailableException refused;
        try {
            refused = refusal(context);
        } catch (RuntimeException keyFailure) {
            return CompletableFuture.failedFuture(keyFailure);
        }
        return refused != null ? CompletableFuture.failedFuture(refused) : next.proceedAsync(context, call);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return ResourceGate.class;
    }

    @Override
    public dev.bulwark.time.Clock clock() {
        return dev.bulwark.time.Clock.system();
    }

    @Override
    public String toString() {
        return "ResourceGate[" + name + ", " + type + "]";
    }
}
