package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Retry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailFastTest {

    @Test
    void anAnnotationOnAPrivateMethodStopsTheStartupNamingTheMethodAndTheFix() {
        Runners.withStarter(PrivateRetry.class).run(context -> assertThat(Runners.cause(context)).hasMessage(
                "Bulwark annotations on PrivateRetry#call(String) would never apply: the method is private, and Spring's "
                        + "proxy only intercepts non-private, non-static, non-final methods of non-final classes, called "
                        + "from another bean. Fix: make it public and not final (or static), or move it to another bean; "
                        + "to only log this, set bulwark.annotations.on-uninterceptable=warn"));
    }

    @Test
    void bootsFailureReportNamesTheProblemAndWhatToDo() {
        Runners.withStarter(MissingFallback.class).run(context -> {
            org.springframework.boot.diagnostics.FailureAnalysis analysis =
                    new dev.bulwark.spring.autoconfigure.BulwarkFailureAnalyzer().analyze(context.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Bulwark annotations cannot work as written: "
                    + "@Fallback(\"nowhere\") on MissingFallback#call(): no usable fallback method");
            assertThat(analysis.getAction()).isEqualTo("Change the method or annotation named above.");
        });
        Runners.withStarter(PrivateFallback.class).withPropertyValues("bulwark.annotations.order=retry").run(context ->
                assertThat(new dev.bulwark.spring.autoconfigure.BulwarkFailureAnalyzer()
                        .analyze(context.getStartupFailure()).getAction())
                        .startsWith("Correct bulwark.annotations.order in your configuration"));
    }

    @Test
    void anAnnotationOnAFinalMethodStopsTheStartup() {
        Runners.withStarter(FinalRetry.class).run(context -> assertThat(Runners.cause(context))
                .hasMessageStartingWith("Bulwark annotations on FinalRetry#call() would never apply: the method is final"));
    }

    @Test
    void anAnnotationOnAStaticMethodStopsTheStartup() {
        Runners.withStarter(StaticRetry.class).run(context -> assertThat(Runners.cause(context))
                .hasMessageStartingWith("Bulwark annotations on StaticRetry#call() would never apply: the method is static"));
    }

    @Test
    void warnModeStartsAndLeavesTheMethodUnprotected() {
        Runners.withStarter(FinalRetry.class).withPropertyValues("bulwark.annotations.on-uninterceptable=warn")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aFallbackWithTheWrongSignatureStopsTheStartupNamingTheSignatureExpected() {
        Runners.withStarter(WrongFallback.class).run(context -> assertThat(Runners.cause(context)).hasMessage(
                "@Fallback(\"cached\") on WrongFallback#price(String, int): no usable fallback method; expected "
                        + "\"Long cached(String, int)\" or \"Long cached(String, int, Throwable)\" (any Throwable subtype; "
                        + "not static; return type assignable to Long) in WrongFallback or a superclass; found "
                        + "\"Long cached(String)\", \"String cached(String, int)\""));
    }

    @Test
    void aMissingFallbackStopsTheStartup() {
        Runners.withStarter(MissingFallback.class).run(context -> assertThat(Runners.cause(context)).hasMessage(
                "@Fallback(\"nowhere\") on MissingFallback#call(): no usable fallback method; expected \"String nowhere()\" "
                        + "or \"String nowhere(Throwable)\" (any Throwable subtype; not static; return type assignable to "
                        + "String) in MissingFallback or a superclass"));
    }

    @Test
    void aPrivateFallbackServesManyThreadsAtOnce() throws Exception {
        Runners.withStarter(PrivateFallback.class).run(context -> {
            PrivateFallback bean = context.getBean(PrivateFallback.class);
            int threads = 16;
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    String item = "item" + i;
                    answers.add(pool.submit(() -> {
                        ready.countDown();
                        start.await(5, TimeUnit.SECONDS);
                        return bean.find(item);
                    }));
                }
                assertThat(ready.await(5, TimeUnit.SECONDS)).isTrue();
                start.countDown();
                for (int i = 0; i < threads; i++) {
                    assertThat(answers.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("cached item" + i + " after offline");
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void aFallbackOnlyHandlesTheExceptionTypeItTakes() {
        Runners.withStarter(PrivateFallback.class).run(context -> {
            PrivateFallback bean = context.getBean(PrivateFallback.class);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bean.find("bad"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bad item");
        });
    }

    @Test
    void aFallbackWithItsOwnAnnotationsRunsThroughItsOwnPipeline() {
        Runners.withStarter(Chained.class).withPropertyValues("bulwark.instances.backup.retry.max_retries=2").run(context -> {
            Chained bean = context.getBean(Chained.class);

            assertThat(bean.primary("q")).isEqualTo("last resort for q");
            assertThat(bean.backupAttempts()).isEqualTo(3);
        });
    }

    public static class PrivateRetry {
        @Retry("r")
        private String call(String item) {
            return item;
        }
    }

    public static class FinalRetry {
        @Retry("r")
        public final String call() {
            return "final";
        }
    }

    public static class StaticRetry {
        @Retry("r")
        public static String call() {
            return "static";
        }
    }

    public static class WrongFallback {
        @Fallback("cached")
        public Long price(String item, int quantity) {
            return 1L;
        }

        public Long cached(String item) {
            return 0L;
        }

        public String cached(String item, int quantity) {
            return "0";
        }
    }

    public static class MissingFallback {
        @Fallback("nowhere")
        public String call() {
            return "x";
        }
    }

    public static class PrivateFallback {
        @Fallback("cached")
        public String find(String item) throws java.io.IOException {
            if (item.equals("bad")) {
                throw new IllegalArgumentException("bad item");
            }
            throw new java.io.IOException("offline");
        }

        private String cached(String item, java.io.IOException failure) {
            return "cached " + item + " after " + failure.getMessage();
        }
    }

    public static class Chained {
        private final AtomicInteger backupAttempts = new AtomicInteger();

        public int backupAttempts() {
            return backupAttempts.get();
        }

        @CircuitBreaker("primary")
        @Fallback("backup")
        public String primary(String query) {
            throw new IllegalStateException("primary down");
        }

        @Retry("backup")
        @Fallback("lastResort")
        public String backup(String query) {
            backupAttempts.incrementAndGet();
            throw new IllegalStateException("backup down");
        }

        public String lastResort(String query) {
            return "last resort for " + query;
        }
    }
}
