package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.event.Registry;
import dev.bulwark.spring.context.ContextRegistration;
import dev.bulwark.spring.context.MdcPropagator;
import dev.bulwark.spring.context.SecurityContextPropagator;
import dev.bulwark.spring.config.RefreshOnEnvironmentChange;
import dev.bulwark.spring.interception.BulwarkAdvisor;
import dev.bulwark.spring.interception.BulwarkBeanScanner;
import dev.bulwark.spring.interception.BulwarkMethodInterceptor;
import dev.bulwark.spring.interception.MethodCatalog;
import dev.bulwark.spring.interception.MethodPipelines;
import dev.bulwark.spring.interception.ReturnShape;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Bulwark for Spring Boot: one advisor applying each annotated method's pipeline, the pipelines built from
 * {@code bulwark.*}, and the clock, scheduler and registry they use (each replaceable by the application's own bean;
 * tests give a {@code ManualClock}, which is both). {@code bulwark.enabled=false} turns all of it off.
 *
 * <p>The advisor is an infrastructure bean and this configuration registers Spring's infrastructure auto-proxy
 * creator itself, so the annotations work without AspectJ or {@code spring-boot-starter-aop}. The advisor's order
 * is {@code bulwark.annotations.advisor-order} (default {@code Ordered.LOWEST_PRECEDENCE - 100}: outside
 * {@code @Transactional}, so each retry attempt runs in its own transaction).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "bulwark", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(BulwarkAutoConfiguration.ProxyCreatorRegistrar.class)
public class BulwarkAutoConfiguration {
    /** The advisor's default order. */
    public static final int DEFAULT_ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    /** The time source of every policy: {@link Clock#system()} unless the application has a {@code Clock} bean. */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    public Clock bulwarkClock() {
        return Clock.system();
    }

    /** Where policies wait and schedule: {@link Scheduler#system()} unless the application has one. */
    @Bean
    @ConditionalOnMissingBean(Scheduler.class)
    public Scheduler bulwarkScheduler() {
        return Scheduler.system();
    }

    /** Every component the pipelines use, by kind and name (the actuator and the meters read it). */
    @Bean
    @ConditionalOnMissingBean(Registry.class)
    public Registry bulwarkRegistry() {
        return new Registry();
    }

    /** The protected methods found in the beans. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static MethodCatalog bulwarkMethodCatalog() {
        return new MethodCatalog();
    }

    /** Checks each bean's annotations as it is created. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static BulwarkBeanScanner bulwarkBeanScanner(MethodCatalog bulwarkMethodCatalog, Environment environment) {
        return new BulwarkBeanScanner(bulwarkMethodCatalog, environment);
    }

    /** Every {@link ContextPropagator} bean registered with Bulwark while the context lives. */
    @Bean
    public ContextRegistration bulwarkContextRegistration(ObjectProvider<ContextPropagator> propagators) {
        return new ContextRegistration(propagators.orderedStream().toList());
    }

    /** SLF4J's MDC, carried across threads. */
    @Bean
    @ConditionalOnClass(name = "org.slf4j.MDC")
    @ConditionalOnProperty(prefix = "bulwark.context", name = "mdc", havingValue = "true", matchIfMissing = true)
    public ContextPropagator bulwarkMdcPropagator() {
        return new MdcPropagator();
    }

    /** Spring Security's context, carried across threads. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
    @ConditionalOnProperty(prefix = "bulwark.context", name = "security", havingValue = "true", matchIfMissing = true)
    public ContextPropagator bulwarkSecurityContextPropagator() {
        return new SecurityContextPropagator();
    }

    /** One pipeline per protected method (after the context propagators are registered). */
    @Bean
    public MethodPipelines bulwarkMethodPipelines(ConfigurableEnvironment environment, MethodCatalog bulwarkMethodCatalog,
                                                  Clock clock, Scheduler scheduler, Registry registry,
                                                  ObjectProvider<ReturnShape> shapes,
                                                  ContextRegistration bulwarkContextRegistration) {
        return new MethodPipelines(environment, bulwarkMethodCatalog, clock, scheduler, registry,
                shapes.orderedStream().toList());
    }

    /** The one advisor. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static BulwarkAdvisor bulwarkAdvisor(ObjectProvider<MethodPipelines> pipelines, Environment environment) {
        int order = Binder.get(environment).bind("bulwark.annotations.advisor-order", Integer.class)
                .orElse(DEFAULT_ADVISOR_ORDER);
        return new BulwarkAdvisor(new BulwarkMethodInterceptor(pipelines), order);
    }

    /** Spring Cloud's refresh re-reads {@code bulwark.*}, when Spring Cloud is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class CloudRefresh {
        @Bean
        RefreshOnEnvironmentChange bulwarkRefreshOnEnvironmentChange(MethodPipelines pipelines) {
            return new RefreshOnEnvironmentChange(pipelines);
        }
    }

    /**
     * Registers Spring's infrastructure auto-proxy creator unless a stronger one is there (the AspectJ one of
     * {@code spring-boot-starter-aop} also applies infrastructure advisors), proxying classes as Boot does unless
     * {@code spring.aop.proxy-target-class=false}.
     */
    static final class ProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {
        private boolean proxyTargetClass = true;

        @Override
        public void setEnvironment(Environment environment) {
            proxyTargetClass = Binder.get(environment).bind("spring.aop.proxy-target-class", Boolean.class).orElse(true);
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
            if (proxyTargetClass) {
                AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
            }
        }
    }
}
