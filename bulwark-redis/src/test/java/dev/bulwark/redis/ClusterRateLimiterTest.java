package dev.bulwark.redis;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several instances (one Redis link and limiter each) sharing one limit on a real redis-server. */
class ClusterRateLimiterTest {
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static RedisServer redis;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ManualClock clock = new ManualClock();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeInstances() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private List<ClusterRateLimiter> instances(int count, ClusterLimitConfig config) {
        List<ClusterRateLimiter> limiters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RedisLink link = RedisLink.connect(RedisEndpoint.of(redis.url()));
            opened.add(link);
            ClusterRateLimiter limiter = ClusterRateLimiter.start(config, link);
            opened.add(0, limiter);
            limiters.add(limiter);
        }
        return limiters;
    }

    private ClusterLimitConfig.Builder config() {
        // no background tick within the manual time the tests advance: each exchange is one the test waits for (a
        // tick on manual time would find a real exchange overdue and turn the limiter DEGRADED)
        return ClusterRateLimiter.builder("team-" + KEYS.incrementAndGet()).redisTime(false).clockAndScheduler(clock)
                .refreshInterval(Duration.ofHours(1));
    }

    /** Takes every token the cluster will still grant (no time passes on the manual clock). */
    private static long drain(List<ClusterRateLimiter> limiters) throws Exception {
        long total = 0;
        while (true) {
            long round = 0;
            for (ClusterRateLimiter limiter : limiters) {
                limiter.refresh().get(5, SECONDS);
                while (limiter.tryAcquire()) {
                    round++;
                }
            }
            if (round == 0) {
                return total;
            }
            total += round;
        }
    }

    @Test
    void aSharedQuotaOverThreeInstancesGrantsAtMostTheLimitPlusOneLeaseEachFromManyThreads() throws Exception {
        long quota = 1_000;
        long lease = 20;
        List<ClusterRateLimiter> limiters = instances(3, config().shape(ClusterLimitConfig.Shape.WINDOW_QUOTA)
                .limit(quota).window(Duration.ofHours(1)).lease(lease).buildConfig());
        for (ClusterRateLimiter limiter : limiters) {
            limiter.refresh().get(5, SECONDS);
        }
        int threadsPerInstance = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3 * threadsPerInstance);
        List<Future<Long>> granted = new ArrayList<>();
        for (ClusterRateLimiter limiter : limiters) {
            for (int t = 0; t < threadsPerInstance; t++) {
                granted.add(pool.submit(() -> {
                    start.await();
                    long mine = 0;
                    for (int i = 0; i < 2_000; i++) {
                        if (limiter.tryAcquire()) {
                            mine++;
                        }
                    }
                    return mine;
                }));
            }
        }
        start.countDown();
        long underLoad = 0;
        for (Future<Long> future : granted) {
            underLoad += future.get(30, SECONDS);
        }
        pool.shutdown();
        long total = underLoad + drain(limiters);

        // three local quotas would have granted 3,000
        assertThat(total).isBetween(quota, quota + limiters.size() * lease);
        assertThat(limiters).allSatisfy(limiter -> assertThat(limiter.health().degraded()).isFalse());
    }

    @Test
    void whenTheQuotaWindowTurnsTokensLeftInALeaseAreNotSpentInTheNextWindow() throws Exception {
        long quota = 100;
        long lease = 10;
        List<ClusterRateLimiter> limiters = instances(2, config().shape(ClusterLimitConfig.Shape.WINDOW_QUOTA)
                .limit(quota).window(Duration.ofMinutes(1)).lease(lease).buildConfig());
        ClusterRateLimiter holder = limiters.get(0);
        ClusterRateLimiter spender = limiters.get(1);
        holder.refresh().get(5, SECONDS);
        spender.refresh().get(5, SECONDS);
        assertThat(holder.leasedTokens()).isEqualTo(lease);
        long firstWindow = drain(List.of(spender));

        clock.advance(Duration.ofMinutes(1));
        holder.refresh().get(5, SECONDS);
        spender.refresh().get(5, SECONDS);
        assertThat(holder.leasedTokens()).as("a fresh lease, the old one dropped").isEqualTo(lease);
        long secondWindow = drain(limiters);

        assertThat(firstWindow).isBetween(quota - lease, quota - lease + 2 * lease);
        assertThat(secondWindow).isBetween(quota, quota + 2 * lease);
    }

    @Test
    void aTokenBucketRefillsAtTheConfiguredRateClusterWide() throws Exception {
        long lease = 5;
        List<ClusterRateLimiter> limiters = instances(3, config().limit(100).window(Duration.ofSeconds(1)).burst(100)
                .lease(lease).buildConfig());
        long burst = drain(limiters);
        clock.advance(Duration.ofMillis(500));
        long refilled = drain(limiters);

        // three local buckets would have granted 3 x (100 + 50)
        assertThat(burst).isBetween(100L, 100 + 3 * lease);
        assertThat(burst + refilled).isBetween(150L, 150 + 3 * lease);
        clock.advance(Duration.ofSeconds(10));
        // each instance may hold a lease taken while the bucket refilled and spend one lease ahead
        assertThat(drain(limiters)).as("the bucket holds at most its burst").isBetween(100L, 100 + 2 * 3 * lease);
    }

    @Test
    void aRefusedCallFailsWithTheClusterLimitsException() throws Exception {
        ClusterRateLimiter limiter = instances(1, config().shape(ClusterLimitConfig.Shape.WINDOW_QUOTA).limit(3)
                .window(Duration.ofHours(1)).lease(1).lowWater(0).buildConfig()).get(0);
        drain(List.of(limiter));

        assertThatThrownBy(() -> limiter.execute(() -> "served")).isInstanceOf(ClusterLimitExceededException.class)
                .hasMessageContaining("cluster limit '" + limiter.name() + "' refused the call");
        assertThat(limiter.rejectedCalls()).isPositive();
    }

    @Test
    void invalidSettingsNameTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> ClusterRateLimiter.builder("q").limit(10).lease(5).lowWater(5).buildConfig())
                .isInstanceOf(ConfigException.class).hasMessageContaining("lowWater")
                .hasMessageContaining("5").hasMessageContaining("[0, 4]");
        assertThatThrownBy(() -> ClusterRateLimiter.builder("q").buildConfig())
                .isInstanceOf(ConfigException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> ClusterRateLimiter.builder("q").limit(1).limit(2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("given twice");
        ClusterLimitConfig config = ClusterRateLimiter.builder("q").limit(90).expectedInstances(4).buildConfig();
        assertThat(config.fallbackLimit()).as("limit / expected instances, rounded up").isEqualTo(23);
        assertThat(config.toBuilder().limit(9).buildConfig().fallbackLimit()).isEqualTo(3);
    }
}
