package dev.bulwark.spring.interception;

import dev.bulwark.spring.annotation.PolicyKind;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.util.ReflectionUtils;

/**
 * Every protected method found in the application's beans, with its plan. Filled as beans are created (by
 * {@link BulwarkBeanScanner}); the interceptor's lookups fill it for any method found later. Thread-safe.
 */
public final class MethodCatalog {
    private final Map<MethodKey, MethodPlan> plans = new ConcurrentHashMap<>();
    private final Set<Class<?>> scanned = ConcurrentHashMap.newKeySet();

    /**
     * Scans {@code beanClass} once: every method Bulwark applies to gets its plan (annotation problems and fallback
     * signatures are checked here). Returns the problems of annotated methods the proxy cannot intercept.
     *
     * @throws BulwarkDefinitionException for a plan that cannot work (bad fallback, bad order, bad combination)
     */
    List<String> scan(Class<?> beanClass) {
        if (!scanned.add(beanClass)) {
            return List.of();
        }
        List<String> uninterceptable = new java.util.ArrayList<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(beanClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            boolean annotated = BulwarkAnnotations.onMethod(method);
            if (annotated) {
                String problem = PlanReader.uninterceptable(method, beanClass);
                if (problem != null) {
                    uninterceptable.add(problem);
                    continue;
                }
            }
            if (BulwarkAnnotations.applies(method, beanClass) && !java.lang.reflect.Modifier.isFinal(method.getModifiers())) {
                MethodKey key = new MethodKey(beanClass, method);
                plans.computeIfAbsent(key, PlanReader::read);
            }
        }
        if (BulwarkAnnotations.onClass(beanClass) && java.lang.reflect.Modifier.isFinal(beanClass.getModifiers())) {
            uninterceptable.add("Bulwark annotations on class " + beanClass.getSimpleName() + " would never apply: the class "
                    + "is final, and Spring's proxy subclasses it. Fix: make the class not final; to only log this, set "
                    + "bulwark.annotations.on-uninterceptable=warn");
        }
        return uninterceptable;
    }

    /** The plan of {@code key}, read now if its class was never scanned. */
    MethodPlan plan(MethodKey key) {
        return plans.computeIfAbsent(key, PlanReader::read);
    }

    /** Every plan found so far. */
    List<MethodPlan> plans() {
        return List.copyOf(plans.values());
    }

    /** The kinds each instance name is used for by some method (a configured pipeline's come from the settings). */
    Map<String, Set<PolicyKind>> needs() {
        Map<String, Set<PolicyKind>> needs = new LinkedHashMap<>();
        for (MethodPlan plan : plans.values()) {
            plan.instances().forEach((kind, name) -> needs.computeIfAbsent(name, n -> EnumSet.noneOf(PolicyKind.class))
                    .add(kind));
        }
        return needs;
    }
}
