package dev.bulwark.microprofile.tck;

import org.jboss.arquillian.container.test.spi.client.deployment.ApplicationArchiveProcessor;
import org.jboss.arquillian.test.spi.TestClass;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;

/**
 * Makes every TCK deployment a bean archive (an empty {@code META-INF/beans.xml}, discovery mode all), as a
 * MicroProfile server would treat the application: some TCK archives carry no beans.xml of their own.
 */
public final class BeanArchiveProcessor implements ApplicationArchiveProcessor {

    @Override
    public void process(Archive<?> archive, TestClass testClass) {
        if (!archive.contains("META-INF/beans.xml") && !archive.contains("WEB-INF/beans.xml")) {
            archive.add(EmptyAsset.INSTANCE, "META-INF/beans.xml");
        }
    }
}
