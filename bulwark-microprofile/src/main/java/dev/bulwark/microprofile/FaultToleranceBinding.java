package dev.bulwark.microprofile;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The interceptor binding behind every MicroProfile Fault Tolerance annotation: {@link BulwarkFtExtension} declares
 * {@code @Retry}, {@code @CircuitBreaker}, {@code @Timeout}, {@code @Bulkhead}, {@code @Fallback} and
 * {@code @Asynchronous} as interceptor bindings carrying this one, so {@link FaultToleranceInterceptor} runs for any
 * of them. Not meant to be placed by hand.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface FaultToleranceBinding {

    /** The binding as a value, to add it to annotation types. */
    @SuppressWarnings("all")
    final class Literal extends AnnotationLiteral<FaultToleranceBinding> implements FaultToleranceBinding {
        /** The one instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;
    }
}
