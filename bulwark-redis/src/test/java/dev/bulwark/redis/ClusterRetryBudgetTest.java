package dev.bulwark.redis;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.Pipeline;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Three instances sharing one retry budget on a real redis-server. */
class ClusterRetryBudgetTest {
    private final ManualClock clock = new ManualClock();

    private ClusterRetryBudgetConfig config(String name) {
        // flushes are the ones the test waits for: no tick within the manual time the tests advance
        return ClusterRetryBudget.builder(name).ratio(0.2).minRetriesPerSecond(1).window(Duration.ofSeconds(10))
                .flushInterval(Duration.ofMinutes(1)).expectedInstances(3).redisTime(false)
                .clockAndScheduler(clock).buildConfig();
    }

    private static void flushAll(List<ClusterRetryBudget> budgets) throws Exception {
        for (ClusterRetryBudget budget : budgets) {
            budget.flush().get(5, SECONDS);
        }
    }

    private static long withdrawAll(List<ClusterRetryBudget> budgets) {
        long granted = 0;
        for (ClusterRetryBudget budget : budgets) {
            while (budget.tryWithdraw()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void retriesAcrossThreeInstancesStayWithinTheRatioOfTheClustersCalls() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            List<RedisLink> links = new ArrayList<>();
            List<ClusterRetryBudget> budgets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RedisLink link = RedisLink.connect(RedisEndpoint.of(redis.url()));
                links.add(link);
                budgets.add(ClusterRetryBudget.start(config("payments"), link));
            }
            flushAll(budgets);
            // instance 0 takes all the traffic; the others only retry
            for (int i = 0; i < 300; i++) {
                budgets.get(0).recordCall();
            }
            flushAll(budgets);
            flushAll(budgets);

            long granted = 0;
            long round;
            do {
                round = withdrawAll(budgets);
                granted += round;
                flushAll(budgets);
            } while (round > 0);

            // 0.2 x 300 calls + 1/s x 10 s = 70; three local budgets would have allowed 60 + 3 x 10
            assertThat(granted).isEqualTo(70);
            assertThat(budgets.get(1).deniedRetries()).isPositive();
            budgets.forEach(ClusterRetryBudget::close);
            links.forEach(RedisLink::close);
        }
    }

    @Test
    void whileRedisIsDownTheBudgetIsLocalAndTheCountsReachRedisWhenItReturns() throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisLink link = RedisLink.connect(RedisEndpoint.of(redis.url()))) {
            ClusterRetryBudget budget = ClusterRetryBudget.start(config("search").toBuilder().minRetriesPerSecond(0)
                    .buildConfig(), link);
            budget.flush().get(5, SECONDS);
            redis.stop();
            for (int i = 0; i < 50; i++) {
                budget.recordCall();
            }
            budget.flush().get(5, SECONDS);
            assertThat(budget.health().degraded()).isTrue();

            long alone = withdrawAll(List.of(budget));
            assertThat(alone).as("0.2 x its own 50 calls").isEqualTo(10);

            redis.restart();
            link.connected().get(10, SECONDS);
            budget.flush().get(5, SECONDS);
            assertThat(budget.health().state()).isEqualTo(SharedStateHealth.State.HEALTHY);
            // Redis now counts the 50 calls and the 10 retries spent alone: nothing is left
            assertThat(withdrawAll(List.of(budget))).isZero();
            budget.close();
        }
    }

    @Test
    void inAPipelineOutsideCoresRetryItCountsCallsAndStopsRetries() throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisLink link = RedisLink.connect(RedisEndpoint.of(redis.url()))) {
            ClusterRetryBudget budget = ClusterRetryBudget.start(config("ledger").toBuilder().minRetriesPerSecond(0)
                    .buildConfig(), link);
            budget.flush().get(5, SECONDS); // the first flush, started with the budget, is over before the calls
            Retry retry = Retry.builder("ledger").maxRetries(5).backoff(dev.bulwark.retry.Backoff.fixed(Duration.ZERO))
                    .retryOn(budget.retryOn(e -> e instanceof IOException)).clockAndScheduler(clock).build();
            Pipeline pipeline = Pipeline.builder().add(budget).add(retry).build();
            AtomicInteger attempts = new AtomicInteger();
            for (int i = 0; i < 30; i++) {
                pipeline.execute(() -> "ok");
            }
            budget.flush().get(5, SECONDS);

            assertThatThrownBy(() -> pipeline.execute(() -> {
                attempts.incrementAndGet();
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
            // 30 calls x 0.2 = 6 retries in the window, of which this instance's lease is a third
            assertThat(attempts.get()).isEqualTo(1 + 2);
            budget.close();
        }
    }

    @Test
    void invalidSettingsNameTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> ClusterRetryBudget.builder("b").ratio(1.5).buildConfig())
                .isInstanceOf(ConfigException.class).hasMessageContaining("ratio").hasMessageContaining("1.5");
        assertThatThrownBy(() -> ClusterRetryBudget.builder("b").window(Duration.ofMillis(5)).buildConfig())
                .isInstanceOf(ConfigException.class).hasMessageContaining("window");
    }
}
