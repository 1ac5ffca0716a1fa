package dev.bulwark.microprofile;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.util.AnnotationLiteral;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceDefinitionException;
import org.jspecify.annotations.Nullable;

/**
 * The CDI portable extension of MicroProfile Fault Tolerance on Bulwark (registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}). It makes every fault-tolerance annotation an
 * interceptor binding for {@link FaultToleranceInterceptor}, reads each annotated method's settings with the
 * MicroProfile Config overrides when its bean is discovered, and fails deployment with one
 * {@link FaultToleranceDefinitionException} listing every invalid setting. The interceptor's priority is
 * {@code Interceptor.Priority.PLATFORM_AFTER + 10} unless {@code mp.fault.tolerance.interceptor.priority} says
 * otherwise. Asynchronous methods run on a cached pool of daemon threads, shut down with the container.
 */
public class BulwarkFtExtension implements Extension {

    static final String PRIORITY_KEY = "mp.fault.tolerance.interceptor.priority";


    private final Map<MethodKey, OperationConfig> configs = new ConcurrentHashMap<>();
    private final Map<MethodKey, FtOperation> operations = new ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile @Nullable ExecutorService executor;
    private boolean telemetryLookedUp;
    private @Nullable OtelMetrics telemetry;

    void registerBindings(@Observes BeforeBeanDiscovery event, BeanManager beans) {
        for (Class<? extends Annotation> type : FtAnnotations.ALL) {
            event.configureInterceptorBinding(type).add(FaultToleranceBinding.Literal.INSTANCE);
        }
        event.addInterceptorBinding(FaultToleranceBinding.class);
        event.addAnnotatedType(beans.createAnnotatedType(FaultToleranceInterceptor.class),
                FaultToleranceInterceptor.class.getName());
    }

    void interceptorPriority(@Observes ProcessAnnotatedType<FaultToleranceInterceptor> event) {
        config().getOptionalValue(PRIORITY_KEY, Integer.class).ifPresent(priority -> event.configureAnnotatedType()
                .remove(annotation -> annotation instanceof Priority)
                .add(new PriorityLiteral(priority)));
    }

    <X> void collect(@Observes ProcessManagedBean<X> event) {
        AnnotatedType<X> type = event.getAnnotatedBeanClass();
        Class<X> beanClass = type.getJavaClass();
        if (beanClass == FaultToleranceInterceptor.class) {
            return;
        }
        Config config = config();
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        for (AnnotatedMethod<? super X> annotated : type.getMethods()) {
            Method method = annotated.getJavaMember();
            if (Modifier.isStatic(method.getModifiers()) || Modifier.isPrivate(method.getModifiers())) {
                continue;
            }
            OperationConfig operation = new OperationConfig(beanClass, method, new AnnotationSource() {
                @Override
                public <A extends Annotation> @Nullable A onMethod(Class<A> annotation) {
                    return annotated.getAnnotation(annotation);
                }

                @Override
                public <A extends Annotation> @Nullable A onClass(Class<A> annotation) {
                    return type.getAnnotation(annotation);
                }
            }, lookup);
            if (!operation.any()) {
                continue;
            }
            try {
                List<String> found = FtValidation.check(operation);
                if (found.isEmpty()) {
                    configs.put(new MethodKey(beanClass, method), operation);
                } else {
                    synchronized (problems) {
                        problems.addAll(found);
                    }
                }
            } catch (FaultToleranceDefinitionException invalid) {
                synchronized (problems) {
                    problems.add(invalid.getMessage());
                }
            }
        }
    }

    void report(@Observes AfterBeanDiscovery event) {
        synchronized (problems) {
            if (!problems.isEmpty()) {
                event.addDefinitionError(new FaultToleranceDefinitionException(
                        "invalid fault tolerance definition" + (problems.size() == 1 ? ": " : "s:\n  ")
                                + String.join("\n  ", problems)));
            }
        }
    }

    void shutdown(@Observes BeforeShutdown event) {
        ExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
        }
    }

    /** The operation for a business method of a bean, built at its first invocation; null if it has no annotation. */
    @Nullable FtOperation operation(Class<?> beanClass, Method method, FtRuntime runtime) {
        MethodKey key = new MethodKey(beanClass, method);
        FtOperation known = operations.get(key);
        if (known != null) {
            return known;
        }
        OperationConfig config = configs.get(key);
        if (config == null) {
            return null;
        }
        return operations.computeIfAbsent(key, unused -> new FtOperation(config,
                runtime.metrics(beanClass.getCanonicalName() + "." + method.getName())));
    }

    ExecutorService executor() {
        ExecutorService running = executor;
        if (running == null) {
            synchronized (this) {
                running = executor;
                if (running == null) {
                    running = Executors.newCachedThreadPool(task -> {
                        Thread thread = new Thread(task, "bulwark-mp-async-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor = running;
                }
            }
        }
        return running;
    }

    /**
     * The metrics recorder on the application's {@code io.opentelemetry.api.OpenTelemetry} bean (MicroProfile
     * Telemetry), looked up once; null when OpenTelemetry's API is absent, no such bean resolves, or
     * {@code MP_Fault_Tolerance_Metrics_Enabled} is false.
     */
    synchronized @Nullable OtelMetrics telemetry(Instance<Object> beans) {
        if (!telemetryLookedUp) {
            telemetryLookedUp = true;
            telemetry = lookUpTelemetry(beans);
        }
        return telemetry;
    }

    private static @Nullable OtelMetrics lookUpTelemetry(Instance<Object> beans) {
        if (!config().getOptionalValue("MP_Fault_Tolerance_Metrics_Enabled", Boolean.class).orElse(true)) {
            return null;
        }
        Class<?> type;
        try {
            type = Class.forName("io.opentelemetry.api.OpenTelemetry", false, BulwarkFtExtension.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            return null;
        }
        Instance<?> openTelemetry = beans.select(type);
        return openTelemetry.isResolvable() ? new OtelMetrics(openTelemetry.get()) : null;
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }

    /** A bean class and one of its methods: the identity of an operation. */
    record MethodKey(Class<?> beanClass, Method method) {
    }

    @SuppressWarnings("all")
    private static final class PriorityLiteral extends AnnotationLiteral<Priority> implements Priority {
        private static final long serialVersionUID = 1L;
        private final int value;

        PriorityLiteral(int value) {
            this.value = value;
        }

        @Override
        public int value() {
            return value;
        }
    }
}
