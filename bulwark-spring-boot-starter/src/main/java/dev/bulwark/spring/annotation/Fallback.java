package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Answers a failed call with another method of the same bean, named by {@link #value()}. The fallback method takes
 * the same parameters as the protected method, optionally followed by one exception parameter, and returns a type
 * assignable to the protected method's return type. With an exception parameter it handles failures of that type
 * only; without one, every {@link Exception} (never an {@link Error}).
 *
 * <p>The fallback method is found and checked when the application starts: a missing or unusable one is a startup
 * error naming the signature expected. It may be private (it is invoked through a method handle looked up once). If
 * it carries Bulwark annotations itself, it is called through the bean's proxy so that its own pipeline applies: one
 * fallback can have its own fallback.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Fallback {
    /** The name of the fallback method, declared in the bean's class or a superclass. */
    String value();
}
