package dev.bulwark.microprofile;

import dev.bulwark.microprofile.FtSpecs.BulkheadSpec;
import dev.bulwark.microprofile.FtSpecs.CircuitBreakerSpec;
import dev.bulwark.microprofile.FtSpecs.FallbackSpec;
import dev.bulwark.microprofile.FtSpecs.RetrySpec;
import dev.bulwark.microprofile.FtSpecs.TimeoutSpec;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceDefinitionException;
import org.jspecify.annotations.Nullable;

/**
 * One method's fault-tolerance settings: its annotations (on the method, else on its bean class) with the
 * MicroProfile Config overrides applied. A parameter is looked up, first match wins:
 * <ol>
 *   <li>{@code <declaring class>/<method>/<Annotation>/<param>}, only when the annotation is on the method;</li>
 *   <li>{@code <bean class>/<Annotation>/<param>}, only when the annotation is on the class;</li>
 *   <li>{@code <Annotation>/<param>} (global);</li>
 *   <li>the annotation's own value.</li>
 * </ol>
 * Class names are canonical names. An annotation is enabled unless {@code <...>/<Annotation>/enabled} says false at
 * the method, class or global level (in that order), or, for every annotation but {@code @Fallback}, unless
 * {@code MP_Fault_Tolerance_NonFallback_Enabled} is false and no {@code enabled} key says otherwise. The class-level
 * {@code enabled} key applies to the annotation wherever it sits in that class, on the class or on its methods.
 * A value that cannot be converted fails with {@link FaultToleranceDefinitionException} naming the key.
 */
final class OperationConfig {

    static final String NON_FALLBACK_ENABLED = "MP_Fault_Tolerance_NonFallback_Enabled";

    private final Class<?> beanClass;
    private final Method method;
    private final AnnotationSource annotations;
    private final Function<String, Optional<String>> config;

    OperationConfig(Class<?> beanClass, Method method, AnnotationSource annotations,
                    Function<String, Optional<String>> config) {
        this.beanClass = beanClass;
        this.method = method;
        this.annotations = annotations;
        this.config = config;
    }

    Class<?> beanClass() {
        return beanClass;
    }

    Method method() {
        return method;
    }

    /** {@code class#method(params)} for messages. */
    String where() {
        StringBuilder text = new StringBuilder(beanClass.getName()).append('#').append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }

    /** Whether the annotation is on the method or its class, enabled or not. */
    boolean present(Class<? extends Annotation> type) {
        return annotations.onMethod(type) != null || annotations.onClass(type) != null;
    }

    /** Whether any fault-tolerance annotation applies to this method. */
    boolean any() {
        for (Class<? extends Annotation> type : FtAnnotations.ALL) {
            if (present(type)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the annotation applies: present and not disabled by configuration. */
    boolean enabled(Class<? extends Annotation> type) {
        if (!present(type)) {
            return false;
        }
        String name = type.getSimpleName();
        Optional<String> value = config.apply(methodPrefix() + name + "/enabled");
        if (value.isEmpty()) {
            value = config.apply(classPrefix() + name + "/enabled");
        }
        if (value.isEmpty()) {
            value = config.apply(name + "/enabled");
        }
        if (value.isEmpty() && type != Fallback.class) {
            value = config.apply(NON_FALLBACK_ENABLED);
        }
        return value.map(text -> Boolean.parseBoolean(text.trim())).orElse(true);
    }

    /** Whether the method runs asynchronously: {@code @Asynchronous} present and enabled. */
    boolean asynchronous() {
        return enabled(Asynchronous.class);
    }

    Optional<RetrySpec> retry() {
        if (!enabled(Retry.class)) {
            return Optional.empty();
        }
        return Optional.of(new RetrySpec(intValue(Retry.class, "maxRetries"),
                duration(Retry.class, "delay", "delayUnit"), duration(Retry.class, "maxDuration", "durationUnit"),
                duration(Retry.class, "jitter", "jitterDelayUnit"),
                classes(Retry.class, "retryOn"), classes(Retry.class, "abortOn")));
    }

    Optional<CircuitBreakerSpec> circuitBreaker() {
        if (!enabled(CircuitBreaker.class)) {
            return Optional.empty();
        }
        return Optional.of(new CircuitBreakerSpec(classes(CircuitBreaker.class, "failOn"),
                classes(CircuitBreaker.class, "skipOn"), duration(CircuitBreaker.class, "delay", "delayUnit"),
                intValue(CircuitBreaker.class, "requestVolumeThreshold"),
                ((Number) value(CircuitBreaker.class, "failureRatio")).doubleValue(),
                intValue(CircuitBreaker.class, "successThreshold")));
    }

    Optional<TimeoutSpec> timeout() {
        if (!enabled(Timeout.class)) {
            return Optional.empty();
        }
        return Optional.of(new TimeoutSpec(duration(Timeout.class, "value", "unit")));
    }

    Optional<BulkheadSpec> bulkhead() {
        if (!enabled(Bulkhead.class)) {
            return Optional.empty();
        }
        return Optional.of(new BulkheadSpec(intValue(Bulkhead.class, "value"), intValue(Bulkhead.class, "waitingTaskQueue")));
    }

    Optional<FallbackSpec> fallback() {
        if (!enabled(Fallback.class)) {
            return Optional.empty();
        }
        return Optional.of(new FallbackSpec((Class<?>) value(Fallback.class, "value"),
                (String) value(Fallback.class, "fallbackMethod"), classes(Fallback.class, "applyOn"),
                classes(Fallback.class, "skipOn")));
    }

    private int intValue(Class<? extends Annotation> type, String param) {
        return ((Number) value(type, param)).intValue();
    }

    private Duration duration(Class<? extends Annotation> type, String amountParam, String unitParam) {
        long amount = ((Number) value(type, amountParam)).longValue();
        ChronoUnit unit = (ChronoUnit) value(type, unitParam);
        try {
            return unit.getDuration().multipliedBy(amount);
        } catch (ArithmeticException tooLong) {
            throw new FaultToleranceDefinitionException("@" + type.getSimpleName() + " on " + where() + ": "
                    + amountParam + " " + amount + " " + unit + " is too long for a duration");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Class<? extends Throwable>> classes(Class<? extends Annotation> type, String param) {
        List<Class<? extends Throwable>> list = new ArrayList<>();
        for (Class<?> each : (Class<?>[]) value(type, param)) {
            list.add((Class<? extends Throwable>) each);
        }
        return List.copyOf(list);
    }

    /** The parameter's effective value: configured (converted to the parameter's type) or the annotation's. */
    Object value(Class<? extends Annotation> type, String param) {
        Annotation onMethod = annotations.onMethod(type);
        Annotation annotation = onMethod != null ? onMethod : annotations.onClass(type);
        if (annotation == null) {
            throw new IllegalStateException("@" + type.getSimpleName() + " is not on " + where());
        }
        Method attribute;
        try {
            attribute = type.getMethod(param);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("@" + type.getSimpleName() + " has no parameter " + param, e);
        }
        String name = type.getSimpleName() + "/" + param;
        String key = (onMethod != null ? methodPrefix() : classPrefix()) + name;
        Optional<String> configured = config.apply(key);
        if (configured.isEmpty()) {
            key = name;
            configured = config.apply(key);
        }
        if (configured.isPresent()) {
            return convert(configured.get().trim(), attribute.getReturnType(), key);
        }
        try {
            return attribute.invoke(annotation);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read @" + type.getSimpleName() + "." + param, e);
        }
    }

    private Object convert(String text, Class<?> target, String key) {
        try {
            if (target == int.class) {
                return Integer.parseInt(text);
            }
            if (target == long.class) {
                return Long.parseLong(text);
            }
            if (target == double.class) {
                return Double.parseDouble(text);
            }
            if (target == String.class) {
                return text;
            }
            if (target == ChronoUnit.class) {
                return ChronoUnit.valueOf(text.toUpperCase(Locale.ROOT));
            }
            if (target == Class.class) {
                return load(text);
            }
            if (target == Class[].class) {
                List<Class<?>> loaded = new ArrayList<>();
                for (String each : text.split(",")) {
                    if (!each.isBlank()) {
                        loaded.add(load(each.trim()));
                    }
                }
                return loaded.toArray(new Class<?>[0]);
            }
        } catch (IllegalArgumentException | ClassNotFoundException e) {
            throw new FaultToleranceDefinitionException("configuration key " + key + " for " + where() + ": '" + text
                    + "' is not a valid " + target.getSimpleName(), e);
        }
        throw new IllegalArgumentException("unsupported parameter type " + target);
    }

    private Class<?> load(String name) throws ClassNotFoundException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return Class.forName(name, false, loader != null ? loader : beanClass.getClassLoader());
    }

    private String methodPrefix() {
        return canonical(method.getDeclaringClass()) + "/" + method.getName() + "/";
    }

    private String classPrefix() {
        return canonical(beanClass) + "/";
    }

    private static String canonical(Class<?> type) {
        @Nullable String name = type.getCanonicalName();
        return name != null ? name : type.getName();
    }
}
