package dev.bulwark.spring.interception;

import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.PolicyKind;
import dev.bulwark.spring.annotation.PolicyOrder;
import dev.bulwark.spring.annotation.UsePipeline;
import dev.bulwark.spring.config.OrderCheck;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** Reads a method's annotations into a {@link MethodPlan}, refusing combinations that cannot work. */
final class PlanReader {
    private PlanReader() {
    }

    /** The plan of {@code key}. @throws BulwarkDefinitionException naming the method and the problem */
    static MethodPlan read(MethodKey key) {
        Method method = key.method();
        Map<PolicyKind, String> instances = new EnumMap<>(PolicyKind.class);
        for (PolicyKind kind : BulwarkAnnotations.POLICIES.keySet()) {
            String name = BulwarkAnnotations.instance(method, key.beanClass(), kind);
            if (name != null) {
                if (name.isBlank()) {
                    throw new BulwarkDefinitionException("@" + BulwarkAnnotations.POLICIES.get(kind).getSimpleName() + " on "
                            + key.describe() + " must name an instance (the key under bulwark.instances), was blank");
                }
                instances.put(kind, name);
            }
        }
        UsePipeline pipeline = BulwarkAnnotations.find(method, key.beanClass(), UsePipeline.class);
        if (pipeline != null && !instances.isEmpty()) {
            throw new BulwarkDefinitionException("@UsePipeline(\"" + pipeline.value() + "\") on " + key.describe()
                    + " cannot be combined with " + annotationNames(instances) + ": list those policies in bulwark.pipelines."
                    + pipeline.value() + ".policies instead");
        }
        PolicyOrder order = BulwarkAnnotations.find(method, key.beanClass(), PolicyOrder.class);
        List<PolicyKind> methodOrder = null;
        if (order != null) {
            methodOrder = List.of(order.value());
            String problem = OrderCheck.problem(methodOrder, true);
            if (problem != null) {
                throw new BulwarkDefinitionException("@PolicyOrder on " + key.describe() + " " + problem);
            }
        }
        Fallback fallback = AnnotatedElementUtils.findMergedAnnotation(method, Fallback.class);
        return new MethodPlan(key, instances, pipeline == null ? null : pipeline.value(), methodOrder,
                fallback == null ? null : FallbackMethod.resolve(key, fallback.value()));
    }

    /**
     * Why the proxy cannot apply {@code method}'s annotations, or null when it can: a private, static or final method,
     * or a final class, is never intercepted.
     */
    static @Nullable String uninterceptable(Method method, Class<?> beanClass) {
        int modifiers = method.getModifiers();
        String why = Modifier.isPrivate(modifiers) ? "private" : Modifier.isStatic(modifiers) ? "static"
                : Modifier.isFinal(modifiers) ? "final" : Modifier.isFinal(beanClass.getModifiers()) ? "in a final class"
                : null;
        if (why == null) {
            return null;
        }
        return "Bulwark annotations on " + new MethodKey(beanClass, method).describe() + " would never apply: the method is "
                + why + ", and Spring's proxy only intercepts non-private, non-static, non-final methods of non-final "
                + "classes, called from another bean. Fix: make it public and not final (or static), or move it to "
                + "another bean; to only log this, set bulwark.annotations.on-uninterceptable=warn";
    }

    private static String annotationNames(Map<PolicyKind, String> instances) {
        List<String> names = new ArrayList<>();
        for (PolicyKind kind : instances.keySet()) {
            Class<? extends Annotation> type = java.util.Objects.requireNonNull(BulwarkAnnotations.POLICIES.get(kind));
            names.add("@" + type.getSimpleName());
        }
        return String.join(", ", names);
    }
}
