package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.retry.Retry;
import dev.bulwark.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The meters of many components, which share one stats snapshot per component and scrape, show each one's own figures. */
class ManyBreakersScrapeTest {
    private static final int BREAKERS = 60;

    private final ManualClock clock = new ManualClock();
    private final Registry registry = new Registry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<CircuitBreaker> breakers = new ArrayList<>();
    private long trippedAtMillis;

    ManyBreakersScrapeTest() {
        for (int i = 0; i < BREAKERS; i++) {
            breakers.add(registry.register(CircuitBreaker.builder("b" + i).clock(clock).build()));
        }
        new BulwarkMetrics(registry).bindTo(prometheus);
    }

    @Test
    void everyBreakerShowsItsOwnFiguresInEveryScrape() throws Exception {
        for (int i = 0; i < BREAKERS; i++) {
            calls(breakers.get(i), i, i % 3);
        }
        clock.advance(Duration.ofSeconds(1));
        trippedAtMillis = clock.wallMillis();
        for (int i = 3; i < BREAKERS; i += 4) {
            breakers.get(i).trip();
            assertThat(breakers.get(i).tryAcquirePermission()).isFalse();
        }
        assertScrapeShowsCounts(0);

        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < BREAKERS; i += 2) {
            breakers.get(i).reset();
            calls(breakers.get(i), 2, 1);
        }
        assertScrapeShowsCounts(1);

        for (int i = 0; i < BREAKERS; i++) {
            breakers.get(i).reset();
            calls(breakers.get(i), 0, 1);
        }
        assertScrapeShowsCounts(2);
    }

    @Test
    void aMeterReadAloneIsExactAtEveryRead() throws Exception {
        CircuitBreaker breaker = breakers.get(7);
        for (int failures = 1; failures <= 3; failures++) {
            calls(breaker, 0, 1);

            assertThat(meter("bulwark_circuit_breaker_failures", "b7")).isEqualTo(failures);
        }
    }

    @Test
    void figuresLeftByAPartialReadServeOtherMetersForOneSecondAtMost() throws Exception {
        CircuitBreaker breaker = breakers.get(7);
        calls(breaker, 2, 1);
        assertThat(meter("bulwark_circuit_breaker_failures", "b7")).isEqualTo(1);
        calls(breaker, 4, 0);
        clock.advance(Duration.ofSeconds(1));

        assertThat(meter("bulwark_circuit_breaker_calls", "b7")).isEqualTo(7);
        assertThat(value(prometheus.scrape(), "bulwark_circuit_breaker_calls_total", "b7")).isEqualTo(7);
    }

    @Test
    void retriesShowTheirOwnCountsInEveryScrape() throws Exception {
        List<Retry> retries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            retries.add(registry.register(Retry.builder("r" + i)
                    .clockAndScheduler(clock).build()));
        }
        for (int round = 1; round <= 2; round++) {
            for (int i = 0; i < retries.size(); i++) {
                for (int call = 0; call < i % 4; call++) {
                    retries.get(i).execute(() -> "ok");
                }
            }
            String scrape = prometheus.scrape();
            for (int i = 0; i < retries.size(); i++) {
                assertThat(value(scrape, "bulwark_retry_calls_total", "r" + i)).as("r%d after round %d", i, round)
                        .isEqualTo(round * (i % 4));
            }
        }
    }

    /** Checks every breaker against figures recomputed from what the test did, rounds 0 to {@code round}. */
    private void assertScrapeShowsCounts(int round) {
        String scrape = prometheus.scrape();
        for (int i = 0; i < BREAKERS; i++) {
            String name = "b" + i;
            long successes = i;
            long failures = i % 3;
            long windowSuccesses = i;
            long windowFailures = i % 3;
            if (round >= 1 && i % 2 == 0) {
                successes += 2;
                failures += 1;
                windowSuccesses = 2;
                windowFailures = 1;
            }
            if (round >= 2) {
                failures += 1;
                windowSuccesses = 0;
                windowFailures = 1;
            }
            boolean tripped = i % 4 == 3;
            boolean open = tripped && (round == 0 || round == 1 && i % 2 != 0);
            assertThat(value(scrape, "bulwark_circuit_breaker_calls_total", name)).as("%s calls, scrape %d", name, round)
                    .isEqualTo(successes + failures);
            assertThat(value(scrape, "bulwark_circuit_breaker_failures_total", name)).as("%s failures, scrape %d", name, round)
                    .isEqualTo(failures);
            assertThat(value(scrape, "bulwark_circuit_breaker_rejected_total", name)).as("%s rejected, scrape %d", name, round)
                    .isEqualTo(tripped ? 1 : 0);
            double ratio = windowSuccesses + windowFailures == 0 ? 1.0
                    : windowSuccesses / (double) (windowSuccesses + windowFailures);
            assertThat(value(scrape, "bulwark_circuit_breaker_success_ratio", name)).as("%s success ratio, scrape %d", name, round)
                    .isCloseTo(ratio, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(value(scrape, "bulwark_circuit_breaker_state", name)).as("%s state, scrape %d", name, round)
                    .isEqualTo(open ? 1 : 0);
            assertThat(value(scrape, "bulwark_circuit_breaker_last_opened_timestamp_seconds", name))
                    .as("%s last opened, scrape %d", name, round)
                    .isEqualTo(tripped ? trippedAtMillis / 1000.0 : 0.0);
        }
    }

    private double meter(String name, String breaker) {
        return prometheus.get(name).tag("name", breaker).functionCounter().count();
    }

    private static void calls(CircuitBreaker breaker, int successes, int failures) throws Exception {
        for (int s = 0; s < successes; s++) {
            breaker.execute(() -> "ok");
        }
        for (int f = 0; f < failures; f++) {
            try {
                breaker.execute(() -> {
                    throw new IOException("down");
                });
            } catch (IOException expected) {
                // counted
            }
        }
    }

    private static double value(String scrape, String family, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + family + "\\{name=\"" + name + "\"} (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("%s{name=%s} in the scrape", family, name).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
