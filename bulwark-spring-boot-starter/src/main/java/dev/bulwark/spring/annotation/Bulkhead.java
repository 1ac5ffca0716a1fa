package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits the calls running at once: {@code max_concurrent_calls} (required), {@code max_wait}, {@code max_waiting_calls}; a refused call gets {@link dev.bulwark.bulkhead.BulkheadFullException}.
 *
 * <p>On a method, or on a class for all its public methods. The settings are those of the instance named by
 * {@link #value()}: {@code bulwark.instances.<name>.bulkhead} laid over {@code bulwark.defaults.bulkhead} key by key. All of a
 * method's Bulwark annotations make one pipeline, in the order {@link PolicyOrder} and
 * {@code bulwark.annotations.order} describe. Instances with the same name are shared by every method naming them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Bulkhead {
    /** The instance's name, the key under {@code bulwark.instances}. */
    String value();
}
