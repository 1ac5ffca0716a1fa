package dev.bulwark.spring.interception;

import dev.bulwark.Pipeline;
import dev.bulwark.Policy;
import dev.bulwark.event.Registry;
import dev.bulwark.spring.annotation.PolicyKind;
import dev.bulwark.spring.config.BulwarkConfigException;
import dev.bulwark.spring.config.BulwarkSettings;
import dev.bulwark.spring.config.InstanceSettings;
import dev.bulwark.spring.config.SettingsReader;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * One pipeline per protected method, built from its plan and the {@code bulwark.*} settings: eagerly for every method
 * found when the singletons are ready (so that a configuration problem stops the startup), on first use for a method
 * of a bean created later. {@link #refresh()} re-reads the configuration and rebuilds every pipeline at once; an
 * invalid configuration is refused and the running one kept. Thread-safe.
 */
public final class MethodPipelines implements SmartInitializingSingleton {
    private static final System.Logger LOG = System.getLogger(MethodPipelines.class.getName());

    private final ConfigurableEnvironment environment;
    private final MethodCatalog catalog;
    private final Components components;
    private final Clock clock;
    private final List<ReturnShape> shapes;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<MethodKey, MethodPipeline> pipelines = new ConcurrentHashMap<>();
    private volatile @Nullable BulwarkSettings settings;

    /** Pipelines for the catalog's methods; {@code shapes} are tried in order before plain values. */
    public MethodPipelines(ConfigurableEnvironment environment, MethodCatalog catalog, Clock clock, Scheduler scheduler,
                           Registry registry, List<ReturnShape> shapes) {
        this.environment = environment;
        this.catalog = catalog;
        this.clock = clock;
        this.components = new Components(clock, scheduler, registry);
        List<ReturnShape> all = new ArrayList<>(shapes);
        all.add(StandardShapes.STAGE);
        this.shapes = List.copyOf(all);
    }

    @Override
    public void afterSingletonsInstantiated() {
        refresh();
    }

    /**
     * Re-reads {@code bulwark.*} and rebuilds every method's pipeline: unchanged components are kept, a changed
     * breaker continues its state. Nothing changes if the configuration is invalid.
     *
     * @return the pipelines now in force
     * @throws BulwarkConfigException if the configuration is invalid (the running pipelines stay)
     */
    public List<MethodPipeline> refresh() {
        lock.lock();
        try {
            BulwarkSettings read = SettingsReader.of(environment).read(catalog.needs());
            Components.Generation generation = components.next();
            Map<MethodKey, MethodPipeline> built = new ConcurrentHashMap<>();
            for (MethodPlan plan : catalog.plans()) {
                built.put(plan.key(), build(plan, read, generation));
            }
            generation.commit();
            settings = read;
            pipelines = built;
            return all();
        } finally {
            lock.unlock();
        }
    }

    /** The pipeline of {@code key}, built now if it is a method not seen before. */
    public MethodPipeline get(MethodKey key) {
        MethodPipeline pipeline = pipelines.get(key);
        if (pipeline != null) {
            return pipeline;
        }
        lock.lock();
        try {
            pipeline = pipelines.get(key);
            if (pipeline == null) {
                catalog.plan(key);
                refresh();
                pipeline = java.util.Objects.requireNonNull(pipelines.get(key), key::describe);
            }
            return pipeline;
        } finally {
            lock.unlock();
        }
    }

    /** Every method's pipeline, by method. */
    public List<MethodPipeline> all() {
        List<MethodPipeline> all = new ArrayList<>(pipelines.values());
        all.sort(Comparator.comparing(MethodPipeline::describe));
        return all;
    }

    /** The settings in force, once the pipelines are built. */
    public @Nullable BulwarkSettings settings() {
        return settings;
    }

    private MethodPipeline build(MethodPlan plan, BulwarkSettings read, Components.Generation generation) {
        MethodKey key = plan.key();
        Map<PolicyKind, String> instances = new HashMap<>(plan.instances());
        List<PolicyKind> order;
        if (plan.pipeline() != null) {
            List<PolicyKind> configured = read.pipelines().get(plan.pipeline());
            if (configured == null) {
                throw new BulwarkConfigException("bulwark.pipelines." + plan.pipeline(), "@UsePipeline(\"" + plan.pipeline()
                        + "\") on " + key.describe() + " names a pipeline that is not configured: define bulwark.pipelines."
                        + plan.pipeline() + ".policies (configured: " + read.pipelines().keySet() + ")");
            }
            order = new ArrayList<>();
            order.add(PolicyKind.FALLBACK);
            order.addAll(configured);
            configured.forEach(kind -> instances.put(kind, plan.pipeline()));
        } else {
            order = plan.order() != null ? plan.order() : read.order();
        }
        ReturnShape shape = shape(key);
        String problem = shape.problem(instances.keySet());
        if (problem != null) {
            throw new BulwarkDefinitionException(key.describe() + ": " + problem);
        }
        Pipeline.Builder pipeline = Pipeline.builder().name(key.describe()).clock(clock);
        List<String> steps = new ArrayList<>();
        for (PolicyKind kind : order) {
            if (kind == PolicyKind.FALLBACK) {
                if (plan.fallback() != null) {
                    FallbackPolicy fallback = new FallbackPolicy(key.describe(), plan.fallback(), shape, clock);
                    pipeline.add(fallback);
                    steps.add(fallback.toString());
                }
                continue;
            }
            String name = instances.get(kind);
            if (name == null) {
                continue;
            }
            InstanceSettings instance = read.instance(name).orElseThrow(() -> new IllegalStateException(
                    "instance '" + name + "' was not read"));
            Policy policy = generation.get(kind, instance);
            if (policy == null) {
                LOG.log(System.Logger.Level.INFO, "{0}: {1} ''{2}'' is turned off by configuration (enabled: false)",
                        key.describe(), kind.configName(), name);
                steps.add(label(kind) + " '" + name + "' (off)");
            } else {
                pipeline.add(policy);
                steps.add(label(kind) + " '" + name + "'");
            }
        }
        return new MethodPipeline(key, pipeline.build(), shape, steps);
    }

    private ReturnShape shape(MethodKey key) {
        Class<?> type = key.method().getReturnType();
        for (ReturnShape shape : shapes) {
            if (shape.supports(type)) {
                return shape;
            }
        }
        if (java.util.concurrent.Future.class.isAssignableFrom(type)) {
            throw new BulwarkDefinitionException(key.describe() + " returns " + type.getSimpleName() + ", which Bulwark cannot "
                    + "watch: return a CompletionStage or CompletableFuture");
        }
        return StandardShapes.SYNC;
    }

    private static String label(PolicyKind kind) {
        return switch (kind) {
            case CIRCUIT_BREAKER -> "CircuitBreaker";
            case RATE_LIMITER -> "RateLimiter";
            case BULKHEAD -> "Bulkhead";
            case RETRY -> "Retry";
            case HEDGE -> "Hedge";
            case TIMEOUT -> "Timeout";
            case FALLBACK -> "Fallback";
        };
    }

    /** The kinds each instance serves, for tests and the actuator. */
    Map<String, Set<PolicyKind>> needs() {
        return catalog.needs();
    }
}
