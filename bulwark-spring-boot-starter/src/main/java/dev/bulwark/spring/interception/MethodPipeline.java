package dev.bulwark.spring.interception;

import dev.bulwark.Pipeline;
import java.util.List;

/**
 * A method's resolved pipeline: its policies outermost first, and how its return type runs through them.
 *
 * @param key the method
 * @param pipeline its policies, outermost first
 * @param shape how its return type runs
 * @param steps each policy as {@code CircuitBreaker 'orders'}, outermost first, for logs and the actuator
 */
public record MethodPipeline(MethodKey key, Pipeline pipeline, ReturnShape shape, List<String> steps) {
    /** Copies the steps. */
    public MethodPipeline {
        steps = List.copyOf(steps);
    }

    /** {@code OrderService#place(String): Fallback 'placeLater' -> CircuitBreaker 'orders' -> Retry 'orders'}. */
    public String describe() {
        return key.describe() + ": " + (steps.isEmpty() ? "(no policy)" : String.join(" -> ", steps));
    }
}
