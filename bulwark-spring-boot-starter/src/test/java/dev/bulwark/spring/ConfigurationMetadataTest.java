package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.yaml.FaultToleranceKeys;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The IDE metadata lists only settings the starter accepts, with the defaults it uses, and the fault-tolerance keys
 * under bulwark.defaults exactly as bulwark-yaml's schema has them (a key added to the schema fails here until listed).
 */
class ConfigurationMetadataTest {

    @Test
    void everyDocumentedScalarSettingIsAcceptedWithItsDocumentedDefault() throws Exception {
        List<String> given = new ArrayList<>();
        for (JsonNode property : metadata().get("properties")) {
            JsonNode value = property.get("defaultValue");
            if (value == null) {
                continue;
            }
            String text = value.isArray() ? String.join(",", new ObjectMapper().convertValue(value, String[].class))
                    : value.asText();
            given.add(property.get("name").asText() + "=" + text);
        }
        assertThat(given).hasSize(7);
        given.add("bulwark.instances.flaky.retry.max_retries=2");

        Runners.withStarter(AutoConfigurationTest.FlakyService.class).withPropertyValues(given.toArray(String[]::new))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AutoConfigurationTest.FlakyService.class).call())
                            .isEqualTo("ok after 3 attempts");
                });
    }

    @Test
    void theDocumentedAdvisorOrderIsTheOneInForce() throws Exception {
        JsonNode order = null;
        for (JsonNode property : metadata().get("properties")) {
            if (property.get("name").asText().equals("bulwark.annotations.advisor-order")) {
                order = property.get("defaultValue");
            }
        }
        assertThat(order).isNotNull();
        assertThat(order.asInt())
                .isEqualTo(dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration.DEFAULT_ADVISOR_ORDER);
    }

    @Test
    void theFaultToleranceKeysListedAreExactlyTheSchemasUnderBulwarkDefaults() throws Exception {
        Set<String> listed = new TreeSet<>();
        for (JsonNode property : metadata().get("properties")) {
            String name = property.get("name").asText();
            if (name.startsWith("bulwark.defaults.")) {
                listed.add(name);
            }
        }
        Set<String> schema = new TreeSet<>();
        Map<String, Set<String>> keys = FaultToleranceKeys.adapterBlock();
        for (String key : keys.get("")) {
            Set<String> block = keys.get(key);
            if (block != null) {
                block.forEach(inner -> schema.add("bulwark.defaults." + kebab(key) + "." + kebab(inner)));
            } else if (!key.equals("event_handler")) { // a gateway setting the starter refuses
                schema.add("bulwark.defaults." + kebab(key));
            }
        }
        assertThat(listed).isEqualTo(schema);
    }

    private static String kebab(String key) {
        return key.replace('_', '-');
    }

    private static JsonNode metadata() throws Exception {
        try (InputStream json = ConfigurationMetadataTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            return new ObjectMapper().readTree(json);
        }
    }
}
