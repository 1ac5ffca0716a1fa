package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.event.Registry;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.interception.MethodPipelines;
import dev.bulwark.time.ManualClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

@SpringBootTest(classes = ActuatorTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=bulwark,health,prometheus",
        "management.endpoint.bulwark.access=unrestricted",
        "management.endpoint.health.show-details=always",
        "bulwark.instances.orders.retry.max_retries=1"})
@AutoConfigureObservability
class ActuatorTest {
    @Autowired
    private TestRestTemplate http;
    @Autowired
    private Registry registry;
    @Autowired
    private ConfigurableEnvironment environment;
    @Autowired
    private Orders orders;
    @Autowired
    private MethodPipelines pipelines;

    @AfterEach
    void closeTheCircuit() {
        registry.get(dev.bulwark.circuit.CircuitBreaker.class, "orders").reset();
        environment.getPropertySources().remove("override");
        pipelines.refresh();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEndpointListsComponentsAndEachMethodsResolvedPipeline() {
        ResponseEntity<Map> response = http.getForEntity("/actuator/bulwark", Map.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        Map<String, List<String>> pipelines = (Map<String, List<String>>) response.getBody().get("pipelines");
        assertThat(pipelines).containsEntry("Orders#place(String)",
                List.of("Fallback 'queueForLater'", "CircuitBreaker 'orders'", "Retry 'orders'"));
        assertThat((List<Map<String, Object>>) response.getBody().get("components"))
                .anySatisfy(component -> assertThat(component).containsEntry("kind", "CircuitBreaker")
                        .containsEntry("name", "orders").containsEntry("state", "closed"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneInstanceCanBeReadByName() {
        ResponseEntity<List> orders = http.getForEntity("/actuator/bulwark/orders", List.class);

        assertThat(orders.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat((List<Map<String, Object>>) orders.getBody()).extracting(component -> component.get("kind"))
                .containsExactlyInAnyOrder("CircuitBreaker", "Retry");
        assertThat(http.getForEntity("/actuator/bulwark/nobody", Map.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    @SuppressWarnings("unchecked")
    void tripOpensTheBreakerAndHealthTurnsDegradedNotDown() {
        ResponseEntity<Map> tripped = http.postForEntity("/actuator/bulwark/orders", Map.of("action", "trip"), Map.class);
        assertThat(tripped.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(tripped.getBody()).containsEntry("state", "open");
        assertThat(orders.place("book")).isEqualTo("queued book: CircuitOpenException");

        ResponseEntity<Map> health = http.getForEntity("/actuator/health/bulwark", Map.class);

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).containsEntry("status", "DEGRADED");
        assertThat((Map<String, Object>) health.getBody().get("details")).containsEntry("refusingCalls", List.of("orders"));

        ResponseEntity<Map> reset = http.postForEntity("/actuator/bulwark/orders", Map.of("action", "reset"), Map.class);
        assertThat(reset.getBody()).containsEntry("state", "closed");
        assertThat(http.getForEntity("/actuator/health/bulwark", Map.class).getBody()).containsEntry("status", "UP");
    }

    @Test
    void anUnknownActionOrNameIsAClientError() {
        assertThat(http.postForEntity("/actuator/bulwark/orders", Map.of("action", "explode"), Map.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(http.postForEntity("/actuator/bulwark/nobody", Map.of("action", "reset"), Map.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    @SuppressWarnings("unchecked")
    void refreshAppliesNewSettingsAndRefusesInvalidOnes() {
        environment.getPropertySources().addFirst(new MapPropertySource("override",
                Map.of("bulwark.instances.orders.retry.max_retries", "-3")));

        ResponseEntity<Map> refused = http.postForEntity("/actuator/bulwark", null, Map.class);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((String) refused.getBody().get("error"))
                .startsWith("bulwark.instances.orders.retry.max_retries must be in [0, 2147483646], was -3");

        environment.getPropertySources().remove("override");
        environment.getPropertySources().addFirst(new MapPropertySource("override",
                Map.of("bulwark.instances.orders.retry.enabled", "false")));
        ResponseEntity<Map> refreshed = http.postForEntity("/actuator/bulwark", null, Map.class);

        assertThat(refreshed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat((Map<String, List<String>>) refreshed.getBody().get("pipelines")).containsEntry("Orders#place(String)",
                List.of("Fallback 'queueForLater'", "CircuitBreaker 'orders'", "Retry 'orders' (off)"));
    }

    @Test
    void prometheusShowsTheComponentsMeters() {
        orders.place("book");

        String scrape = http.getForObject("/actuator/prometheus", String.class);

        assertThat(scrape).contains("bulwark_circuit_breaker_state{name=\"orders\"}");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class App {
        @Bean
        @Primary
        ManualClock manualClock() {
            return new ManualClock();
        }
    }

    public static class Orders {
        @Fallback("queueForLater")
        @CircuitBreaker("orders")
        @Retry("orders")
        public String place(String item) {
            return "placed " + item;
        }

        public String queueForLater(String item, CircuitOpenException refused) {
            return "queued " + item + ": " + refused.getClass().getSimpleName();
        }
    }
}
