package dev.bulwark.spring.interception;

import dev.bulwark.ExecutionContext;
import dev.bulwark.Pipeline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/** The shapes every application has: a plain value (and void), and {@link CompletionStage}/{@link CompletableFuture}. */
final class StandardShapes {
    private StandardShapes() {
    }

    /** Plain values: the pipeline runs on the caller's thread; a timeout runs the method in place. */
    static final ReturnShape SYNC = new ReturnShape() {
        @Override
        public boolean supports(Class<?> type) {
            return true;
        }

        @Override
        @SuppressWarnings("NullAway") // a method may return null; the pipeline passes it through
        public @Nullable Object invoke(Pipeline pipeline, Supplier<ExecutionContext> context, MethodInvocation invocation)
                throws Throwable {
            return pipeline.execute(context.get(), attempt -> Invocations.proceed(invocation));
        }

        @Override
        public String toString() {
            return "value";
        }
    };

    /** {@link CompletionStage} and {@link CompletableFuture}: the pipeline runs asynchronously. */
    static final ReturnShape STAGE = new ReturnShape() {
        @Override
        public boolean supports(Class<?> type) {
            return CompletionStage.class.isAssignableFrom(type);
        }

        @Override
        public Object invoke(Pipeline pipeline, Supplier<ExecutionContext> context, MethodInvocation invocation) {
            CompletionStage<Object> stage = pipeline.executeAsync(context.get(), attempt -> {
                try {
                    return toStage(Invocations.proceed(invocation));
                } catch (Exception failed) {
                    return CompletableFuture.failedFuture(failed);
                }
            });
            return CompletableFuture.class.isAssignableFrom(invocation.getMethod().getReturnType())
                    ? stage.toCompletableFuture() : stage;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Object> toStage(@Nullable Object returned) {
            return returned == null ? CompletableFuture.failedFuture(new NullPointerException("the method returned null "
                    + "instead of a stage")) : (CompletionStage<Object>) returned;
        }

        @Override
        public String toString() {
            return "stage";
        }
    };
}
