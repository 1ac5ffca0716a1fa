package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The order of this method's (or class's) policies, outermost first, instead of {@code bulwark.annotations.order}
 * (whose default is {@link PolicyKind#DEFAULT_ORDER}). It must name each of the seven kinds exactly once; a list
 * that misses or repeats one is a startup error. Kinds the method does not use are skipped.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface PolicyOrder {
    /** Every kind once, outermost first. */
    PolicyKind[] value();
}
