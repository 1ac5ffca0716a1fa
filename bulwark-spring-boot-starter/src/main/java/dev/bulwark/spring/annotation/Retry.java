package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries a failed call: {@code max_retries}, {@code backoff}, {@code initial_delay}, {@code max_delay}, {@code multiplier}, {@code jitter}, {@code max_duration} (default: one retry after 100 ms).
 *
 * <p>On a method, or on a class for all its public methods. The settings are those of the instance named by
 * {@link #value()}: {@code bulwark.instances.<name>.retry} laid over {@code bulwark.defaults.retry} key by key. All of a
 * method's Bulwark annotations make one pipeline, in the order {@link PolicyOrder} and
 * {@code bulwark.annotations.order} describe. Instances with the same name are shared by every method naming them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {
    /** The instance's name, the key under {@code bulwark.instances}. */
    String value();
}
