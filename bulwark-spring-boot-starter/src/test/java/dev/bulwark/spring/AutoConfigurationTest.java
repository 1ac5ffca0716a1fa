package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import dev.bulwark.spring.interception.MethodPipelines;
import dev.bulwark.time.ManualClock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BulwarkAutoConfiguration.class))
            .withBean(ManualClock.class, ManualClock::new)
            .withBean(FlakyService.class, FlakyService::new)
            .withPropertyValues("bulwark.instances.flaky.retry.max_retries=2");

    @Test
    void worksWithoutAspectJ() {
        runner.withClassLoader(new FilteredClassLoader("org.aspectj")).run(context -> {
            assertThat(context).hasNotFailed();
            FlakyService service = context.getBean(FlakyService.class);
            assertThat(AopUtils.isAopProxy(service)).isTrue();

            assertThat(service.call()).isEqualTo("ok after 3 attempts");
            assertThat(service.calls()).isEqualTo(3);
        });
    }

    @Test
    void retriesOnlyAsOftenAsConfigured() {
        runner.withPropertyValues("bulwark.instances.flaky.retry.max_retries=1").run(context -> {
            FlakyService service = context.getBean(FlakyService.class);

            assertThatThrownBy(service::call).isInstanceOf(IllegalStateException.class).hasMessage("failure 2");
            assertThat(service.calls()).isEqualTo(2);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("bulwark.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MethodPipelines.class);
            FlakyService service = context.getBean(FlakyService.class);
            assertThat(AopUtils.isAopProxy(service)).isFalse();

            assertThatThrownBy(service::call).hasMessage("failure 1");
            assertThat(service.calls()).isEqualTo(1);
        });
    }

    public static class FlakyService {
        private final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @Retry("flaky")
        public String call() {
            int attempt = calls.incrementAndGet();
            if (attempt < 3) {
                throw new IllegalStateException("failure " + attempt);
            }
            return "ok after " + attempt + " attempts";
        }
    }
}
