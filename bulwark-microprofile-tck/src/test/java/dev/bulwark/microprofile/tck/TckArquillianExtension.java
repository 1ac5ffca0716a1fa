package dev.bulwark.microprofile.tck;

import org.jboss.arquillian.container.spi.client.container.DeploymentExceptionTransformer;
import org.jboss.arquillian.container.test.spi.client.deployment.ApplicationArchiveProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;

/** Registers the TCK's glue with Arquillian: bean archives everywhere, and Weld's definition errors unwrapped. */
public final class TckArquillianExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(ApplicationArchiveProcessor.class, BeanArchiveProcessor.class);
        builder.service(DeploymentExceptionTransformer.class, DefinitionErrorTransformer.class);
    }
}
