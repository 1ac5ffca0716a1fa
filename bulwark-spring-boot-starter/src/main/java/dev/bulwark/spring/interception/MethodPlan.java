package dev.bulwark.spring.interception;

import dev.bulwark.spring.annotation.PolicyKind;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a method's annotations ask for, before configuration: the instance each policy kind names, a configured
 * pipeline's name, the method's own order and its fallback.
 *
 * @param key the method
 * @param instances the instance named for each kind used (fallback excluded)
 * @param pipeline the {@code @UsePipeline} name, or null
 * @param order the {@code @PolicyOrder}, or null for the configured order
 * @param fallback the checked fallback method, or null
 */
record MethodPlan(MethodKey key, Map<PolicyKind, String> instances, @Nullable String pipeline,
                  @Nullable List<PolicyKind> order, @Nullable FallbackMethod fallback) {
    MethodPlan {
        instances = Map.copyOf(instances);
        order = order == null ? null : List.copyOf(order);
    }
}
