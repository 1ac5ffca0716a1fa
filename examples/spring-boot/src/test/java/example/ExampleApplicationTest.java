package example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The starter's promise, end to end in the example as shipped: one dependency, an annotated bean, its settings from
 * application.yml (3 attempts per call, the circuit opening after 3 failed calls), the result in /actuator/bulwark,
 * /actuator/health and /actuator/prometheus. Only the feed is replaced, by one that is always down.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Boot's tests leave metrics export off unless asked; the application itself exports them
@AutoConfigureObservability
class ExampleApplicationTest {
    @Autowired
    TestRestTemplate http;
    @Autowired
    DownFeed feed;

    @Test
    void aFailingCallIsRetriedThenTheCircuitOpensAndTheFallbackAnswersAllVisibleInActuator() {
        for (int call = 1; call <= 3; call++) {
            ResponseEntity<String> failed = http.getForEntity("/quote?symbol=ACME", String.class);
            assertThat(failed.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
            // bulwark.defaults.retry.max_retries: 2 -> three attempts per call
            assertThat(feed.calls.get()).isEqualTo(3 * call);
        }

        // bulwark.defaults.failure_threshold: 3 -> the fourth call is refused and the fallback answers
        ResponseEntity<String> fallback = http.getForEntity("/quote?symbol=ACME", String.class);
        assertThat(fallback.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(fallback.getBody()).isEqualTo("ACME 100.0 (last known)");
        assertThat(feed.calls.get()).isEqualTo(9);

        String bulwark = http.getForObject("/actuator/bulwark", String.class);
        assertThat(bulwark).contains("{\"kind\":\"CircuitBreaker\",\"name\":\"quotes\",\"state\":\"open\"")
                .contains("\"QuoteService#quote(String)\":[\"Fallback 'lastKnown'\",\"CircuitBreaker 'quotes'\","
                        + "\"Retry 'quotes'\",\"Timeout 'quotes'\"]");
        String health = http.getForObject("/actuator/health", String.class);
        assertThat(health).contains("DEGRADED");
        String prometheus = http.getForObject("/actuator/prometheus", String.class);
        assertThat(prometheus).containsPattern("(?m)^bulwark_\\w+\\{[^}]*\"quotes\"");
    }

    /** A feed that is always down, counting the attempts that reach it. */
    static final class DownFeed implements QuoteFeed {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String price(String symbol) {
            calls.incrementAndGet();
            throw new IllegalStateException("quote source unavailable");
        }
    }

    @TestConfiguration
    static class Feeds {
        @Bean
        @Primary
        DownFeed downFeed() {
            return new DownFeed();
        }
    }
}
