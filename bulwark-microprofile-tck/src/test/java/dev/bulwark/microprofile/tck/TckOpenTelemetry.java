package dev.bulwark.microprofile.tck;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The {@link OpenTelemetry} bean a MicroProfile Telemetry runtime would provide, for the TCK's {@code telemetryMetrics}
 * deployments: built by OpenTelemetry's autoconfiguration from the deployment's {@code otel.*} MicroProfile Config
 * properties (MicroProfile Telemetry's default {@code otel.sdk.disabled=true}; exporters default to none, since no
 * collector runs here), with the deployment's class loader, so the TCK's {@code AutoConfigurationCustomizerProvider}
 * registers its in-memory metric reader. Shut down with the container, which releases that reader for the next
 * deployment.
 */
@ApplicationScoped
public class TckOpenTelemetry {

    @Produces
    @ApplicationScoped
    OpenTelemetry openTelemetry() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> properties = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("otel.")) {
                config.getOptionalValue(name, String.class).ifPresent(value -> properties.put(name, value));
            }
        }
        properties.putIfAbsent("otel.sdk.disabled", "true");
        properties.putIfAbsent("otel.metrics.exporter", "none");
        properties.putIfAbsent("otel.traces.exporter", "none");
        properties.putIfAbsent("otel.logs.exporter", "none");
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .setServiceClassLoader(Thread.currentThread().getContextClassLoader())
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /** A Telemetry runtime starts its SDK with the application: the TCK reads its metric reader before any call. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started, OpenTelemetry openTelemetry) {
        openTelemetry.getMeterProvider();
    }

    void close(@Disposes OpenTelemetry openTelemetry) {
        if (openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
    }
}
