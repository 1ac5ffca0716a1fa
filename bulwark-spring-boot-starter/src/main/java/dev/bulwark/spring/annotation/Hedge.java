package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts backup attempts of a slow call: {@code delay} (required), {@code max_hedges}; the first answer wins. Hedge only idempotent methods; not allowed on a method returning {@code Flux}.
 *
 * <p>On a method, or on a class for all its public methods. The settings are those of the instance named by
 * {@link #value()}: {@code bulwark.instances.<name>.hedge} laid over {@code bulwark.defaults.hedge} key by key. All of a
 * method's Bulwark annotations make one pipeline, in the order {@link PolicyOrder} and
 * {@code bulwark.annotations.order} describe. Instances with the same name are shared by every method naming them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Hedge {
    /** The instance's name, the key under {@code bulwark.instances}. */
    String value();
}
