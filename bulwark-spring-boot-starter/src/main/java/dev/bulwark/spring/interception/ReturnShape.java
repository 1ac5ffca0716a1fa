package dev.bulwark.spring.interception;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import dev.bulwark.spring.annotation.PolicyKind;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * How a method's return type runs through a pipeline: a plain value synchronously, a stage or a reactive type
 * asynchronously. The starter has shapes for plain values and {@link CompletionStage}s; a {@code ReturnShape} bean adds
 * one (the Reactor shapes are added when Reactor is on the classpath).
 */
public interface ReturnShape {
    /** Whether this shape runs methods returning {@code type}. */
    boolean supports(Class<?> type);

    /** What this shape cannot do with these kinds (e.g. hedging a stream), or null. */
    default @Nullable String problem(Set<PolicyKind> kinds) {
        return null;
    }

    /**
     * Runs the invocation under {@code pipeline}; {@code context} starts each call (it carries the invocation).
     *
     * @return what the method returns to its caller
     */
    @Nullable Object invoke(Pipeline pipeline, java.util.function.Supplier<ExecutionContext> context,
                            MethodInvocation invocation) throws Throwable;

    /** A value the method (or its fallback) returned, as a stage; asynchronous shapes only. */
    default CompletionStage<Object> toStage(@Nullable Object returned) {
        throw new UnsupportedOperationException("synchronous");
    }
}
