package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds each attempt by {@code operation_timeout} (default 30 s). A method returning a plain value runs on the caller's own thread and is interrupted at the deadline; the caller gets {@link dev.bulwark.timeout.TimeoutExceededException} once the method has ended. A method returning a stage or a {@code Mono}/{@code Flux} gets a failed result at the deadline.
 *
 * <p>On a method, or on a class for all its public methods. The settings are those of the instance named by
 * {@link #value()}: {@code bulwark.instances.<name>.operation_timeout} laid over {@code bulwark.defaults.operation_timeout} key by key. All of a
 * method's Bulwark annotations make one pipeline, in the order {@link PolicyOrder} and
 * {@code bulwark.annotations.order} describe. Instances with the same name are shared by every method naming them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {
    /** The instance's name, the key under {@code bulwark.instances}. */
    String value();
}
