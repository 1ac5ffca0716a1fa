package dev.bulwark.spring.interception;

import dev.bulwark.spring.annotation.Bulkhead;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Hedge;
import dev.bulwark.spring.annotation.PolicyKind;
import dev.bulwark.spring.annotation.PolicyOrder;
import dev.bulwark.spring.annotation.RateLimiter;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.annotation.Timeout;
import dev.bulwark.spring.annotation.UsePipeline;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** Where Bulwark's annotations are and what they say: a method's own, else its class's (public methods only). */
final class BulwarkAnnotations {
    /** The annotation of each kind that names an instance. */
    static final Map<PolicyKind, Class<? extends Annotation>> POLICIES = Map.of(
            PolicyKind.RETRY, Retry.class, PolicyKind.CIRCUIT_BREAKER, CircuitBreaker.class,
            PolicyKind.TIMEOUT, Timeout.class, PolicyKind.BULKHEAD, Bulkhead.class,
            PolicyKind.RATE_LIMITER, RateLimiter.class, PolicyKind.HEDGE, Hedge.class);

    private BulwarkAnnotations() {
    }

    /** Whether the method itself carries any Bulwark annotation. */
    static boolean onMethod(Method method) {
        for (Class<? extends Annotation> type : POLICIES.values()) {
            if (AnnotatedElementUtils.hasAnnotation(method, type)) {
                return true;
            }
        }
        return AnnotatedElementUtils.hasAnnotation(method, UsePipeline.class)
                || AnnotatedElementUtils.hasAnnotation(method, Fallback.class)
                || AnnotatedElementUtils.hasAnnotation(method, PolicyOrder.class);
    }

    /** Whether the class carries a policy annotation for its public methods. */
    static boolean onClass(Class<?> type) {
        for (Class<? extends Annotation> annotation : POLICIES.values()) {
            if (AnnotatedElementUtils.hasAnnotation(type, annotation)) {
                return true;
            }
        }
        return AnnotatedElementUtils.hasAnnotation(type, UsePipeline.class);
    }

    /** Whether the interceptor applies to {@code method} of {@code beanClass}. */
    static boolean applies(Method method, Class<?> beanClass) {
        if (method.getDeclaringClass() == Object.class || method.isBridge() || method.isSynthetic()) {
            return false;
        }
        return onMethod(method) || (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                && onClass(beanClass));
    }

    /** The instance named by the method's annotation of {@code kind}, else the class's, else null. */
    static @Nullable String instance(Method method, Class<?> beanClass, PolicyKind kind) {
        Class<? extends Annotation> type = POLICIES.get(kind);
        Annotation found = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (found == null) {
            found = AnnotatedElementUtils.findMergedAnnotation(beanClass, type);
        }
        return found == null ? null : (String) org.springframework.core.annotation.AnnotationUtils.getValue(found);
    }

    static <A extends Annotation> @Nullable A find(Method method, Class<?> beanClass, Class<A> type) {
        A found = AnnotatedElementUtils.findMergedAnnotation(method, type);
        return found != null ? found : AnnotatedElementUtils.findMergedAnnotation(beanClass, type);
    }
}
