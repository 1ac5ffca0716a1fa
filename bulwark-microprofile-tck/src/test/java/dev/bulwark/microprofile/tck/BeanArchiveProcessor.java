package dev.bulwark.microprofile.tck;

import org.jboss.arquillian.container.test.spi.client.deployment.ApplicationArchiveProcessor;
import org.jboss.arquillian.test.spi.TestClass;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

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
        // MicroProfile Telemetry's part: its OpenTelemetry bean, for the deployments of the telemetry metrics tests
        if (testClass.getJavaClass().getPackageName().startsWith(TELEMETRY_TESTS)) {
            JavaArchive telemetry = ShrinkWrap.create(JavaArchive.class, "bulwark-tck-telemetry.jar")
                    .addClass(TckOpenTelemetry.class)
                    .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
            if (archive instanceof WebArchive war) {
                war.addAsLibrary(telemetry);
            } else if (archive instanceof JavaArchive jar) {
                jar.addClass(TckOpenTelemetry.class);
            }
        }
    }

    private static final String TELEMETRY_TESTS = "org.eclipse.microprofile.fault.tolerance.tck.telemetryMetrics";
}
