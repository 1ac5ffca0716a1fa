package dev.bulwark.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FtValidationTest {

    static class StringHandler implements FallbackHandler<String> {
        @Override
        public String handle(ExecutionContext context) {
            return "";
        }
    }

    static class Bean {
        @Retry(maxRetries = -2)
        public void badRetries(int n) {
        }

        @Retry(maxRetries = 5000)
        public void manyRetries() {
        }

        @Retry(delay = 500, maxDuration = 400)
        public void durationNotAboveDelay() {
        }

        @CircuitBreaker(failureRatio = 1.5)
        public void badRatio() {
        }

        @Bulkhead(value = 0)
        public void badBulkhead() {
        }

        @Timeout(-1)
        public void badTimeout() {
        }

        @Asynchronous
        public String asyncString() {
            return "";
        }

        @Asynchronous
        public CompletionStage<String> asyncStage() {
            return null;
        }

        @Fallback(value = StringHandler.class, fallbackMethod = "other")
        public String both() {
            return "";
        }

        @Fallback(StringHandler.class)
        public Integer handlerOfOtherType() {
            return 1;
        }

        @Fallback(fallbackMethod = "missing")
        public String noSuchFallback(String in) {
            return in;
        }

        @Fallback(fallbackMethod = "goodFallback")
        public String withFallback(String in) {
            return in;
        }

        private String goodFallback(String in) {
            return in;
        }
    }

    private final Map<String, String> properties = new HashMap<>();

    private List<String> problems(String name, Class<?>... parameters) throws NoSuchMethodException {
        Method method = Bean.class.getMethod(name, parameters);
        return FtValidation.check(new OperationConfig(Bean.class, method, new AnnotationSource() {
            @Override
            public <A extends Annotation> @Nullable A onMethod(Class<A> type) {
                return method.getAnnotation(type);
            }

            @Override
            public <A extends Annotation> @Nullable A onClass(Class<A> type) {
                return null;
            }
        }, key -> Optional.ofNullable(properties.get(key))));
    }

    @Test
    void messageNamesAnnotationClassMethodParameterValueAndRange() throws Exception {
        assertThat(problems("badRetries", int.class)).containsExactly(
                "@Retry on dev.bulwark.microprofile.FtValidationTest$Bean#badRetries(int): maxRetries must be >= -1 "
                        + "(-1: no limit), was -2");
    }

    @Test
    void eachInvalidParameterIsReported() throws Exception {
        assertThat(problems("durationNotAboveDelay")).singleElement().asString()
                .contains("maxDuration must be greater than delay (500 ms), was 400 ms");
        assertThat(problems("badRatio")).singleElement().asString().contains("failureRatio must be in [0, 1], was 1.5");
        assertThat(problems("badBulkhead")).singleElement().asString().contains("@Bulkhead", "value must be >= 1, was 0");
        assertThat(problems("badTimeout")).singleElement().asString().contains("@Timeout", "value must be >= 0, was -1 ms");
    }

    @Test
    void configuredValueIsValidatedToo() throws Exception {
        properties.put("Timeout/value", "-5");
        properties.put("Bulkhead/waitingTaskQueue", "0");
        assertThat(problems("badBulkhead")).hasSize(2);
        assertThat(problems("asyncStage")).isEmpty();
    }

    @Test
    void retryCountAboveAThousandIsValid() throws Exception {
        assertThat(problems("manyRetries")).isEmpty();
    }

    @Test
    void asynchronousNeedsFutureOrCompletionStage() throws Exception {
        assertThat(problems("asyncString")).singleElement().asString()
                .contains("@Asynchronous", "asyncString()", "was java.lang.String");
        assertThat(problems("asyncStage")).isEmpty();
    }

    @Test
    void fallbackChecks() throws Exception {
        assertThat(problems("both")).singleElement().asString().contains("not both");
        assertThat(problems("handlerOfOtherType")).singleElement().asString()
                .contains("handles java.lang.String", "returns java.lang.Integer");
        assertThat(problems("noSuchFallback", String.class)).singleElement().asString()
                .contains("fallbackMethod 'missing'", "java.lang.String noSuchFallback(java.lang.String)");
        assertThat(problems("withFallback", String.class)).isEmpty();
    }
}
