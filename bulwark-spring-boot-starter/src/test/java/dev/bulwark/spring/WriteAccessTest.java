package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.event.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;

@SpringBootTest(classes = ActuatorTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=bulwark"})
class WriteAccessTest {
    @Autowired
    private TestRestTemplate http;
    @Autowired
    private Registry registry;

    @Test
    void writesAreRefusedUntilAccessIsUnrestricted() {
        assertThat(http.getForEntity("/actuator/bulwark", Map.class).getStatusCode()).isEqualTo(HttpStatus.OK);

        assertThat(http.postForEntity("/actuator/bulwark/orders", Map.of("action", "trip"), Map.class).getStatusCode()
                .is4xxClientError()).isTrue();

        assertThat(registry.get(dev.bulwark.circuit.CircuitBreaker.class, "orders").state())
                .isEqualTo(dev.bulwark.circuit.CircuitBreaker.State.CLOSED);
    }
}
