package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.event.Component;
import dev.bulwark.time.Clock;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineTest {

    /** Records entry and exit, and hands inner policies a context with attempt + 1. */
    static final class Tracing implements Policy {
        private final String name;
        private final List<String> log;

        Tracing(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public <T> T intercept(ExecutionContext context, ContextualSupplier<T> call, Chain next) throws Exception {
            log.add(name + ">");
            try {
                return next.proceed(context.withAttempt(context.attempt() + 1), call);
            } finally {
                log.add("<" + name);
            }
        }

        @Override
        public <T> CompletionStage<T> interceptAsync(ExecutionContext context, AsyncSupplier<T> call, Chain next) {
            log.add(name + ">");
            return next.proceedAsync(context.withAttempt(context.attempt() + 1), call)
                    .whenComplete((value, error) -> log.add("<" + name));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<? extends Component> kind() {
            return Tracing.class;
        }

        @Override
        public Clock clock() {
            return Clock.system();
        }
    }

    @Test
    void runsPoliciesOutermostFirstSynchronously() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Pipeline pipeline = Pipeline.of(new Tracing("outer", log), new Tracing("inner", log));

        String result = pipeline.execute(() -> {
            log.add("call");
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(log).containsExactly("outer>", "inner>", "call", "<inner", "<outer");
    }

    @Test
    void aPipelineNestedInAnotherRunsItsPoliciesBetweenTheOuterOnes() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Pipeline inner = Pipeline.builder().name("inner").add(new Tracing("b", log), new Tracing("c", log)).build();
        Pipeline outer = Pipeline.of(new Tracing("a", log), inner, new Tracing("d", log));

        String result = outer.executeWithContext(context -> {
            log.add("call " + context.attempt());
            return "ok";
        });
        String async = outer.executeAsync(() -> CompletableFuture.completedFuture("async")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("ok");
        assertThat(async).isEqualTo("async");
        assertThat(log.subList(0, 9)).containsExactly("a>", "b>", "c>", "d>", "call 5", "<d", "<c", "<b", "<a");
        assertThat(log.subList(9, log.size())).containsExactly("a>", "b>", "c>", "d>", "<d", "<c", "<b", "<a");
        assertThat(inner.name()).isEqualTo("inner");
        assertThat(outer.name()).isEqualTo(Pipeline.DEFAULT_NAME);
        assertThatThrownBy(() -> Pipeline.builder().name("x").name("y")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e).hasMessage("pipeline 'x': name must be given at most once, was given twice"));
    }

    @Test
    void runsTheSamePolicyLogicAsynchronously() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Pipeline pipeline = Pipeline.of(new Tracing("outer", log), new Tracing("inner", log));

        String result = pipeline.executeAsync(() -> {
            log.add("call");
            return CompletableFuture.completedFuture("ok");
        }).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("ok");
        assertThat(log).containsExactly("outer>", "inner>", "call", "<inner", "<outer");
    }

    private static final ExecutionContext.Key<String> REQUEST_ID = ExecutionContext.Key.of("request-id", String.class);

    @Test
    void contextsDerivedByOuterPoliciesReachTheCall() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ManualClock clock = new ManualClock();
        Pipeline pipeline = Pipeline.builder().add(new Tracing("a", log), new Tracing("b", log)).clock(clock).build();

        ExecutionContext seen = pipeline.execute(ExecutionContext.start(clock).with(REQUEST_ID, "r-42"), context -> context);

        assertThat(seen.attempt()).isEqualTo(3);
        assertThat(seen.get(REQUEST_ID)).contains("r-42");
        assertThat(seen.startNanos()).isEqualTo(clock.nanoTime());
    }

    @Test
    void checkedExceptionsPassThroughUnwrapped() {
        Pipeline pipeline = Pipeline.of(new Tracing("only", new CopyOnWriteArrayList<>()));
        IOException failure = new IOException("disk gone");

        assertThatThrownBy(() -> pipeline.execute(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void anAsyncCallThatThrowsInsteadOfReturningAStageFailsTheStage() {
        Pipeline pipeline = Pipeline.of(new Tracing("only", new CopyOnWriteArrayList<>()));
        IllegalStateException failure = new IllegalStateException("boom");

        CompletionStage<Object> stage = pipeline.executeAsync(() -> {
            throw failure;
        });

        Throwable error = stage.handle((value, thrown) -> thrown).toCompletableFuture().join();
        // a dependent stage wraps in CompletionException, as CompletableFuture always does
        assertThat(error instanceof java.util.concurrent.CompletionException ? error.getCause() : error).isSameAs(failure);
    }

    @Test
    void runnablesRunThroughThePipeline() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Pipeline pipeline = Pipeline.of(new Tracing("p", log));

        pipeline.run(() -> log.add("ran"));

        assertThat(log).containsExactly("p>", "ran", "<p");
    }

    @Test
    void theSamePolicyTwiceIsRefused() {
        Tracing policy = new Tracing("twice", new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> Pipeline.of(policy, policy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy 'twice' appears twice");
    }

    @Test
    void deadlinesOnlyEverShorten() {
        ExecutionContext context = ExecutionContext.start(new ManualClock(0L, 0L)).withDeadline(1_000L);

        assertThat(context.withDeadline(2_000L).deadlineNanos()).isEqualTo(1_000L);
        assertThat(context.withDeadline(500L).deadlineNanos()).isEqualTo(500L);
        assertThat(context.remainingNanos(400L)).isEqualTo(600L);
        assertThat(ExecutionContext.detached().remainingNanos(0L)).isEqualTo(Long.MAX_VALUE);
    }
}
