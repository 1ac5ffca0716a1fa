package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Protects a method with a pipeline defined in configuration: {@code bulwark.pipelines.<name>.policies} lists the
 * policies, outermost first ({@code [circuit_breaker, retry, timeout]}), and their settings are those of the instance
 * of the same name ({@code bulwark.instances.<name>}). Only {@link Fallback} may accompany it; another policy
 * annotation on the same method is a startup error, as is a pipeline that is not defined.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface UsePipeline {
    /** The pipeline's name, the key under {@code bulwark.pipelines}. */
    String value();
}
