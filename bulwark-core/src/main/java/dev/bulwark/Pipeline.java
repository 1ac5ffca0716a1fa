package dev.bulwark;

import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Policies composed around a call, outermost first: in {@code Pipeline.of(breaker, retry, timeout)}
 * the breaker sees one outcome per execution, the retry sees every attempt and each attempt runs
 * under the timeout. A pipeline is itself a {@link Policy}, so it can sit inside another pipeline.
 *
 * <p>The chain of policies is built once, when the pipeline is created; running a call through it
 * allocates nothing beyond what the policies themselves need. A pipeline is immutable and
 * thread-safe; share one per protected dependency.
 */
public final class Pipeline implements Policy {

    static final Chain END = new End();

    /** The name a pipeline has unless its builder gives one. */
    public static final String DEFAULT_NAME = "pipeline";

    private final String name;
    private final List<Policy> policies;
    private final Chain head;
    private final Clock clock;

    private Pipeline(String name, List<Policy> policies, Clock clock) {
        this.name = name;
        this.policies = List.copyOf(policies);
        this.clock = clock;
        Chain chain = END;
        for (int i = policies.size() - 1; i >= 0; i--) {
            chain = new Node(policies.get(i), chain);
        }
        this.head = chain;
    }

    /**
     * A pipeline called {@value #DEFAULT_NAME} of {@code policies}, outermost first, whose contexts start on
     * {@link Clock#system()}.
     *
     * @throws IllegalArgumentException if the same policy instance appears twice
     */
    public static Pipeline of(Policy... policies) {
        return builder().add(policies).build();
    }

    /** A builder for a pipeline. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policies, outermost first. */
    public List<Policy> policies() {
        return policies;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<? extends Component> kind() {
        return Pipeline.class;
    }

    @Override
    public <T> T execute(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
        Objects.requireNonNull(call, "call");
        return head.proceed(context, call);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(ExecutionContext context, AsyncSupplier<T> call) {
        Objects.requireNonNull(call, "call");
        return head.proceedAsync(context, call);
    }

    /** Runs this pipeline's policies, then {@code next}: a pipeline nested in another one. */
    @Override
    public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
        Objects.requireNonNull(call, "call");
        return next == END ? head.proceed(context, call) : head.proceed(context, inner -> next.proceed(inner, call));
    }

    @Override
    public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
        Objects.requireNonNull(call, "call");
        return next == END ? head.proceedAsync(context, call) : head.proceedAsync(context, inner -> next.proceedAsync(inner, call));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Pipeline[").append(name).append(": ");
        for (int i = 0; i < policies.size(); i++) {
            Policy policy = policies.get(i);
            text.append(i == 0 ? "" : " -> ").append(policy.getClass().getSimpleName()).append(" '").append(policy.name()).append('\'');
        }
        return text.append(']').toString();
    }

    /** Starts an asynchronous call, turning an exception thrown while starting it (or a null stage) into a failed stage. */
    static <T> CompletionStage<T> startSafely(AsyncSupplier<T> call, ExecutionContext context) {
        try {
            CompletionStage<T> stage = call.get(context);
            return stage != null ? stage
                    : CompletableFuture.failedFuture(new NullPointerException("the async call returned null instead of a stage"));
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** Builds a {@link Pipeline}. Not thread-safe. */
    public static final class Builder {
        private final List<Policy> policies = new ArrayList<>();
        private String name = DEFAULT_NAME;
        private Clock clock = Clock.system();
        private boolean clockGiven;
        private boolean nameGiven;

        private Builder() {
        }

        /**
         * The pipeline's name, for logs and a registry (default {@value #DEFAULT_NAME}).
         *
         * @throws ConfigException if it is blank or was given before
         */
        public Builder name(String name) {
            if (nameGiven) {
                throw new ConfigException("pipeline '" + this.name + "'", "name", "given twice", "given at most once");
            }
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new ConfigException("pipeline", "name", "'" + name + "'", "a non-blank name");
            }
            this.name = name;
            nameGiven = true;
            return this;
        }

        /** Adds policies inside the ones added so far. */
        public Builder add(Policy... more) {
            for (Policy policy : Objects.requireNonNull(more, "policies")) {
                policies.add(Objects.requireNonNull(policy, "policy"));
            }
            return this;
        }

        /** The clock that contexts created by the pipeline start on; default {@link Clock#system()}. */
        public Builder clock(Clock clock) {
            if (clockGiven) {
                throw new ConfigException("pipeline '" + name + "'", "clock", "given twice", "given at most once");
            }
            this.clock = Objects.requireNonNull(clock, "clock");
            clockGiven = true;
            return this;
        }

        /**
         * Builds the pipeline.
         *
         * @throws IllegalArgumentException if the same policy instance was added twice
         */
        public Pipeline build() {
            Set<Policy> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Policy policy : policies) {
                if (!seen.add(policy)) {
                    throw new IllegalArgumentException("policy '" + policy.name() + "' appears twice in the pipeline; "
                            + "each call would be counted twice");
                }
            }
            return new Pipeline(name, policies, clock);
        }
    }

    private static final class Node implements Chain {
        private final Policy policy;
        private final Chain next;

        Node(Policy policy, Chain next) {
            this.policy = policy;
            this.next = next;
        }

        @Override
        public <T> T proceed(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
            return policy.intercept(context, call, next);
        }

        @Override
        public <T> CompletionStage<T> proceedAsync(ExecutionContext context, AsyncSupplier<T> call) {
            try {
                return policy.interceptAsync(context, call, next);
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
    }

    private static final class End implements Chain {
        @Override
        public <T> T proceed(ExecutionContext context, ContextualSupplier<T> call) throws Exception {
            return call.get(context);
        }

        @Override
        public <T> CompletionStage<T> proceedAsync(ExecutionContext context, AsyncSupplier<T> call) {
            return startSafely(call, context);
        }
    }
}
