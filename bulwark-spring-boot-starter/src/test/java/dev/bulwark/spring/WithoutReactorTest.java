package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.annotation.Retry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import dev.bulwark.spring.autoconfigure.BulwarkReactorAutoConfiguration;

class WithoutReactorTest {
    @Test
    void startsAndProtectsPlainMethodsWithoutReactor() {
        Runners.withStarter(Plain.class).withConfiguration(AutoConfigurations.of(BulwarkReactorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("reactor.")).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("bulwarkMonoShape");

                    assertThat(context.getBean(Plain.class).call()).isEqualTo("ok on attempt 2");
                });
    }

    @Test
    void hedgingAFluxStopsTheStartup() {
        Runners.withStarter(ReturnTypesTest.HedgedFlux.class)
                .withConfiguration(AutoConfigurations.of(BulwarkReactorAutoConfiguration.class))
                .withPropertyValues("bulwark.instances.h.hedge.delay=10ms").run(context ->
                        assertThat(Runners.cause(context)).hasMessage("HedgedFlux#stream(): @Hedge cannot apply to a "
                                + "method returning Flux: two copies of a stream cannot be raced element by element; hedge "
                                + "a method returning Mono instead"));
    }

    public static class Plain {
        private final AtomicInteger attempts = new AtomicInteger();

        @Retry("plain")
        public String call() {
            int attempt = attempts.incrementAndGet();
            if (attempt < 2) {
                throw new IllegalStateException("no");
            }
            return "ok on attempt " + attempt;
        }
    }
}
