package dev.bulwark.microprofile.tck;

import org.jboss.arquillian.container.spi.client.container.DeploymentExceptionTransformer;
import org.jboss.weld.exceptions.DefinitionException;

/**
 * Weld wraps the definition errors an extension reports in its own {@link DefinitionException}, the errors as
 * suppressed exceptions. A TCK test expecting {@code FaultToleranceDefinitionException} compares the deployment's
 * failure with that type, so a single reported error is handed to it unwrapped.
 */
public final class DefinitionErrorTransformer implements DeploymentExceptionTransformer {

    @Override
    public Throwable transform(Throwable exception) {
        if (exception instanceof DefinitionException) {
            Throwable[] reported = exception.getSuppressed();
            if (reported.length == 1) {
                return reported[0];
            }
        }
        return null;
    }
}
