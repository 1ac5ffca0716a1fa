package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits the rate of calls: {@code permits_per_second} (required), {@code burst}, {@code max_wait}; a refused call gets {@link dev.bulwark.ratelimit.RateLimitedException}.
 *
 * <p>On a method, or on a class for all its public methods. The settings are those of the instance named by
 * {@link #value()}: {@code bulwark.instances.<name>.rate_limit} laid over {@code bulwark.defaults.rate_limit} key by key. All of a
 * method's Bulwark annotations make one pipeline, in the order {@link PolicyOrder} and
 * {@code bulwark.annotations.order} describe. Instances with the same name are shared by every method naming them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimiter {
    /** The instance's name, the key under {@code bulwark.instances}. */
    String value();
}
