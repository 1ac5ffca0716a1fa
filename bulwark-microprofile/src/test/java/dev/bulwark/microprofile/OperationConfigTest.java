package dev.bulwark.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceDefinitionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class OperationConfigTest {

    @Retry(maxRetries = 7)
    static class ClassLevel {
        @Timeout(500)
        public String annotatedMethod() {
            return "";
        }

        @Retry(maxRetries = 2)
        @Fallback(fallbackMethod = "fallback")
        public String overriding() {
            return "";
        }
    }

    private final Map<String, String> properties = new HashMap<>();

    private OperationConfig config(String methodName) throws NoSuchMethodException {
        Method method = ClassLevel.class.getMethod(methodName);
        return new OperationConfig(ClassLevel.class, method, new AnnotationSource() {
            @Override
            public <A extends Annotation> @Nullable A onMethod(Class<A> type) {
                return method.getAnnotation(type);
            }

            @Override
            public <A extends Annotation> @Nullable A onClass(Class<A> type) {
                return ClassLevel.class.getAnnotation(type);
            }
        }, key -> Optional.ofNullable(properties.get(key)));
    }

    private static final String CLASS = "dev.bulwark.microprofile.OperationConfigTest.ClassLevel";

    @Test
    void annotationValueWhenNothingIsConfigured() throws Exception {
        assertThat(config("overriding").retry().orElseThrow().maxRetries()).isEqualTo(2);
        assertThat(config("annotatedMethod").retry().orElseThrow().maxRetries()).isEqualTo(7);
    }

    @Test
    void methodKeyBeatsClassKeyBeatsGlobalKey() throws Exception {
        properties.put("Retry/maxRetries", "11");
        assertThat(config("overriding").retry().orElseThrow().maxRetries()).isEqualTo(11);
        properties.put(CLASS + "/overriding/Retry/maxRetries", "12");
        assertThat(config("overriding").retry().orElseThrow().maxRetries()).isEqualTo(12);
    }

    @Test
    void methodKeyOnlyAppliesWhenTheAnnotationIsOnTheMethod() throws Exception {
        properties.put(CLASS + "/annotatedMethod/Retry/maxRetries", "5");
        properties.put(CLASS + "/overriding/Retry/maxRetries", "5");
        assertThat(config("annotatedMethod").retry().orElseThrow().maxRetries()).isEqualTo(7);
        assertThat(config("overriding").retry().orElseThrow().maxRetries()).isEqualTo(5);
    }

    @Test
    void classKeyOnlyAppliesWhenTheAnnotationIsOnTheClass() throws Exception {
        properties.put(CLASS + "/Retry/maxRetries", "9");
        assertThat(config("annotatedMethod").retry().orElseThrow().maxRetries()).isEqualTo(9);
        assertThat(config("overriding").retry().orElseThrow().maxRetries()).isEqualTo(2);
    }

    @Test
    void durationsCombineValueAndConfiguredUnit() throws Exception {
        properties.put(CLASS + "/annotatedMethod/Timeout/unit", "SECONDS");
        assertThat(config("annotatedMethod").timeout().orElseThrow().value()).isEqualTo(Duration.ofSeconds(500));
    }

    @Test
    void nonFallbackSwitchDisablesAllButFallbackUnlessAnEnabledKeySaysOtherwise() throws Exception {
        properties.put(OperationConfig.NON_FALLBACK_ENABLED, "false");
        OperationConfig overriding = config("overriding");
        assertThat(overriding.retry()).isEmpty();
        assertThat(overriding.fallback()).isPresent();
        properties.put("Retry/enabled", "true");
        assertThat(config("overriding").retry()).isPresent();
    }

    @Test
    void enabledKeysGoFromMethodToClassToGlobal() throws Exception {
        properties.put("Timeout/enabled", "false");
        assertThat(config("annotatedMethod").timeout()).isEmpty();
        properties.put(CLASS + "/Timeout/enabled", "true");
        assertThat(config("annotatedMethod").timeout()).isPresent();
        properties.put(CLASS + "/annotatedMethod/Timeout/enabled", "false");
        assertThat(config("annotatedMethod").timeout()).isEmpty();
    }

    @Test
    void absentAnnotationIsNeitherPresentNorEnabled() throws Exception {
        assertThat(config("annotatedMethod").present(Bulkhead.class)).isFalse();
        assertThat(config("annotatedMethod").bulkhead()).isEmpty();
    }

    @Test
    void unconvertibleValueNamesKeyAndValue() {
        properties.put("Retry/maxRetries", "many");
        assertThatThrownBy(() -> config("overriding").retry())
                .isInstanceOf(FaultToleranceDefinitionException.class)
                .hasMessageContaining("Retry/maxRetries")
                .hasMessageContaining("'many'")
                .hasMessageContaining("ClassLevel#overriding()");
    }
}
