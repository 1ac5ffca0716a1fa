package dev.bulwark.microprofile;

import java.lang.annotation.Annotation;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** The MicroProfile Fault Tolerance annotations this module implements. */
final class FtAnnotations {

    static final List<Class<? extends Annotation>> ALL =
            List.of(Asynchronous.class, Bulkhead.class, CircuitBreaker.class, Fallback.class, Retry.class, Timeout.class);

    private FtAnnotations() {
    }
}
