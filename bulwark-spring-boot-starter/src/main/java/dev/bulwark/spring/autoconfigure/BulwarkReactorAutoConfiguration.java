package dev.bulwark.spring.autoconfigure;

import dev.bulwark.spring.interception.ReturnShape;
import dev.bulwark.spring.reactor.FluxShape;
import dev.bulwark.spring.reactor.MonoShape;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** Methods returning Reactor's {@code Mono} and {@code Flux}, when Reactor is on the classpath. */
@AutoConfiguration(after = BulwarkAutoConfiguration.class)
@ConditionalOnClass(name = "reactor.core.publisher.Mono")
@ConditionalOnBean(BulwarkAutoConfiguration.class)
public class BulwarkReactorAutoConfiguration {
    /** {@code Mono} return types. */
    @Bean
    public ReturnShape bulwarkMonoShape() {
        return new MonoShape();
    }

    /** {@code Flux} return types. */
    @Bean
    public ReturnShape bulwarkFluxShape() {
        return new FluxShape();
    }
}
