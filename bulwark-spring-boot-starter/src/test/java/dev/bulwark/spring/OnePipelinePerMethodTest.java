package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Policy;
import dev.bulwark.bulkhead.BulkheadFullException;
import dev.bulwark.event.Registry;
import dev.bulwark.ratelimit.RateLimitedException;
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
import dev.bulwark.spring.interception.BulwarkAdvisor;
import dev.bulwark.spring.interception.MethodPipeline;
import dev.bulwark.spring.interception.MethodPipelines;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;

class OnePipelinePerMethodTest {

    @Test
    void breakerJudgesTheCallOnceWhateverTheRetries() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.instances.orders.retry.max_retries=2").run(context -> {
            Orders orders = context.getBean(Orders.class);

            assertThatThrownBy(() -> orders.place("x")).hasMessage("down 3");

            assertThat(orders.attempts()).isEqualTo(3);
            dev.bulwark.circuit.CircuitBreaker breaker = context.getBean(Registry.class)
                    .get(dev.bulwark.circuit.CircuitBreaker.class, "orders");
            assertThat(breaker.stats().totalCalls()).isEqualTo(1);
            assertThat(breaker.stats().failedCalls()).isEqualTo(1);
        });
    }

    @Test
    void policyOrderOnTheMethodPutsTheRetryOutsideTheBreaker() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.instances.legacy.retry.max_retries=2").run(context -> {
            Orders orders = context.getBean(Orders.class);

            assertThatThrownBy(() -> orders.placeLegacy("x")).hasMessage("down 3");

            dev.bulwark.circuit.CircuitBreaker breaker = context.getBean(Registry.class)
                    .get(dev.bulwark.circuit.CircuitBreaker.class, "legacy");
            assertThat(breaker.stats().failedCalls()).isEqualTo(3);
        });
    }

    @Test
    void orderInConfigurationAppliesToEveryMethodWithoutItsOwn() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.instances.orders.retry.max_retries=2",
                "bulwark.annotations.order=fallback,rate_limiter,bulkhead,retry,circuit_breaker,hedge,timeout").run(context -> {
            assertThatThrownBy(() -> context.getBean(Orders.class).place("x")).hasMessage("down 3");

            assertThat(context.getBean(Registry.class).get(dev.bulwark.circuit.CircuitBreaker.class, "orders")
                    .stats().failedCalls()).isEqualTo(3);
        });
    }

    @Test
    void anIncompleteOrderInConfigurationStopsTheStartup() {
        Runners.withStarter(Orders.class).withPropertyValues("bulwark.annotations.order=retry,circuit_breaker").run(context ->
                assertThat(Runners.cause(context)).hasMessage(
                        "bulwark.annotations.order must name each of the 7 policy kinds exactly once, outermost first "
                                + "(default [fallback, rate_limiter, bulkhead, circuit_breaker, retry, hedge, timeout]), "
                                + "was [retry, circuit_breaker], missing [fallback, rate_limiter, bulkhead, hedge, timeout]"));
    }

    @Test
    void aRepeatedKindInPolicyOrderStopsTheStartup() {
        Runners.withStarter(BadOrder.class).run(context ->
                assertThat(Runners.cause(context)).hasMessageStartingWith(
                        "@PolicyOrder on BadOrder#call() must name each policy kind at most once, retry is given twice"));
    }

    @Test
    void everyAnnotationOfAMethodMakesOnePipelineInTheDefaultOrderBehindOneAdvisor() {
        Runners.withStarter(Everything.class).withPropertyValues(
                "bulwark.instances.all.bulkhead.max_concurrent_calls=5",
                "bulwark.instances.all.rate_limit.permits_per_second=100",
                "bulwark.instances.all.hedge.delay=1s").run(context -> {
            Everything bean = context.getBean(Everything.class);
            assertThat(Arrays.stream(((Advised) bean).getAdvisors()).filter(BulwarkAdvisor.class::isInstance)).hasSize(1);

            MethodPipeline pipeline = context.getBean(MethodPipelines.class).all().get(0);

            assertThat(pipeline.describe()).isEqualTo("Everything#call(): Fallback 'recover' -> RateLimiter 'all' -> "
                    + "Bulkhead 'all' -> CircuitBreaker 'all' -> Retry 'all' -> Hedge 'all' -> Timeout 'all'");
            List<String> kinds = pipeline.pipeline().policies().stream().map(Policy::kind).map(Class::getSimpleName).toList();
            assertThat(kinds).containsExactly("FallbackPolicy", "RateLimiter", "Bulkhead", "CircuitBreaker", "Retry",
                    "Hedge", "Timeout");
            assertThat(bean.call()).isEqualTo("recovered from boom");
        });
    }

    @Test
    void bulkheadRefusesACallBeyondItsLimit() {
        Runners.withStarter(Narrow.class).withPropertyValues("bulwark.instances.narrow.bulkhead.max_concurrent_calls=1")
                .run(context -> {
                    Narrow limited = context.getBean(Narrow.class);
                    CompletableFuture<String> first = CompletableFuture.supplyAsync(limited::holdBulkhead);
                    assertThat(limited.entered().await(5, TimeUnit.SECONDS)).isTrue();

                    assertThatThrownBy(limited::holdBulkhead).isInstanceOf(BulkheadFullException.class);

                    limited.release().countDown();
                    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("held");
                });
    }

    @Test
    void rateLimiterRefusesACallOverTheRate() {
        Runners.withStarter(Slow.class).withPropertyValues("bulwark.instances.slow.rate_limit.permits_per_second=1",
                "bulwark.instances.slow.rate_limit.burst=1").run(context -> {
            Slow limited = context.getBean(Slow.class);

            assertThat(limited.rateLimited()).isEqualTo("passed");
            assertThatThrownBy(limited::rateLimited).isInstanceOf(RateLimitedException.class);
        });
    }

    @Test
    void hedgeAnswersWithTheBackupWhenTheFirstAttemptIsSlow() {
        Runners.withStarter(Twice.class).withPropertyValues("bulwark.instances.twice.hedge.delay=100ms").run(context -> {
            Twice limited = context.getBean(Twice.class);
            CompletableFuture<String> call = CompletableFuture.supplyAsync(limited::hedged);
            assertThat(limited.entered().await(5, TimeUnit.SECONDS)).isTrue();

            context.getBean(ManualClock.class).advance(Duration.ofMillis(100));

            assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("backup answered");
            limited.release().countDown();
        });
    }

    @Test
    void aConfiguredPipelineAppliesItsPoliciesInItsOrder() {
        Runners.withStarter(Checkout.class).withPropertyValues("bulwark.pipelines.checkout.policies=circuit_breaker,retry",
                "bulwark.instances.checkout.retry.max_retries=1").run(context -> {
            Checkout orders = context.getBean(Checkout.class);

            assertThatThrownBy(() -> orders.checkout("x")).hasMessage("down 2");

            assertThat(context.getBean(Registry.class).get(dev.bulwark.circuit.CircuitBreaker.class, "checkout")
                    .stats().failedCalls()).isEqualTo(1);
            assertThat(context.getBean(MethodPipelines.class).all()).extracting(MethodPipeline::describe)
                    .contains("Checkout#checkout(String): CircuitBreaker 'checkout' -> Retry 'checkout'");
        });
    }

    @Test
    void aPipelineThatIsNotConfiguredStopsTheStartup() {
        Runners.withStarter(Checkout.class).run(context ->
                assertThat(Runners.cause(context)).hasMessageStartingWith(
                        "@UsePipeline(\"checkout\") on Checkout#checkout(String) names a pipeline that is not configured"));
    }

    @Test
    void aClassLevelAnnotationProtectsEachPublicMethod() {
        Runners.withStarter(WholeClass.class).withPropertyValues("bulwark.instances.cls.retry.max_retries=2").run(context -> {
            WholeClass bean = context.getBean(WholeClass.class);

            assertThatThrownBy(bean::first).hasMessage("down 3");
            assertThatThrownBy(bean::second).hasMessage("down 6");
        });
    }

    @Retry("cls")
    public static class WholeClass {
        private final AtomicInteger attempts = new AtomicInteger();

        public String first() {
            throw new IllegalStateException("down " + attempts.incrementAndGet());
        }

        public String second() {
            throw new IllegalStateException("down " + attempts.incrementAndGet());
        }
    }

    public static class Orders {
        private final AtomicInteger attempts = new AtomicInteger();

        public int attempts() {
            return attempts.get();
        }

        @CircuitBreaker("orders")
        @Retry("orders")
        public String place(String item) {
            throw new IllegalStateException("down " + attempts.incrementAndGet());
        }

        @CircuitBreaker("legacy")
        @Retry("legacy")
        @PolicyOrder({PolicyKind.FALLBACK, PolicyKind.RATE_LIMITER, PolicyKind.BULKHEAD, PolicyKind.RETRY,
                PolicyKind.CIRCUIT_BREAKER, PolicyKind.HEDGE, PolicyKind.TIMEOUT})
        public String placeLegacy(String item) {
            throw new IllegalStateException("down " + attempts.incrementAndGet());
        }

    }

    public static class Checkout {
        private final AtomicInteger attempts = new AtomicInteger();

        @UsePipeline("checkout")
        public String checkout(String item) {
            throw new IllegalStateException("down " + attempts.incrementAndGet());
        }
    }

    public static class BadOrder {
        @Retry("bad")
        @PolicyOrder({PolicyKind.RETRY, PolicyKind.RETRY})
        public String call() {
            return "never";
        }
    }

    public static class Everything {
        @Fallback("recover")
        @RateLimiter("all")
        @Bulkhead("all")
        @CircuitBreaker("all")
        @Retry("all")
        @Hedge("all")
        @Timeout("all")
        public String call() {
            throw new IllegalStateException("boom");
        }

        public String recover(Exception failure) {
            return "recovered from " + failure.getMessage();
        }
    }

    public static class Narrow extends Latches {
        @Bulkhead("narrow")
        public String holdBulkhead() {
            entered.countDown();
            await(release);
            return "held";
        }
    }

    public static class Slow {
        @RateLimiter("slow")
        public String rateLimited() {
            return "passed";
        }
    }

    public static class Twice extends Latches {
        private final AtomicInteger hedgeAttempts = new AtomicInteger();

        @Hedge("twice")
        public String hedged() {
            if (hedgeAttempts.incrementAndGet() == 1) {
                entered.countDown();
                await(release);
                return "first answered";
            }
            return "backup answered";
        }
    }

    public static class Latches {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public CountDownLatch entered() {
            return entered;
        }

        public CountDownLatch release() {
            return release;
        }

        static void await(CountDownLatch latch) {
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
