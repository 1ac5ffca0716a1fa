package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Judges each call once (after any retries inside it) and refuses calls while the circuit is open, with {@link dev.bulwark.circuit.CircuitOpenException}. Keys: bulwark-yaml's breaker keys ({@code failure_threshold}, {@code recovery_timeout}, {@code failure_rate_threshold}, ...) directly under the instance.
 *
 * <p>On a method, or on a class for all its public methods. The settings are those of the instance named by
 * {@link #value()}: {@code bulwark.instances.<name>} laid over {@code bulwark.defaults} key by key. All of a
 * method's Bulwark annotations make one pipeline, in the order {@link PolicyOrder} and
 * {@code bulwark.annotations.order} describe. Instances with the same name are shared by every method naming them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CircuitBreaker {
    /** The instance's name, the key under {@code bulwark.instances}. */
    String value();
}
