package dev.bulwark.spring;

import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import dev.bulwark.time.ManualClock;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Contexts with the starter and a manual clock: no real time passes in any test. */
final class Runners {
    private Runners() {
    }

    /** The most specific cause of the context's startup failure. */
    static Throwable cause(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        org.assertj.core.api.Assertions.assertThat(context).hasFailed();
        return org.springframework.core.NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
    }

    static ApplicationContextRunner withStarter(Class<?>... beans) {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BulwarkAutoConfiguration.class))
                .withBean(ManualClock.class, ManualClock::new);
        for (Class<?> bean : beans) {
            runner = runner.withBean(bean);
        }
        return runner;
    }
}
