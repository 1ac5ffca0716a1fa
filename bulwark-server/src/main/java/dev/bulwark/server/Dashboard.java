package dev.bulwark.server;

import dev.bulwark.event.Registry;
import dev.bulwark.time.Scheduler;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The gateway's dashboard: the samples kept per adapter ({@link DashboardSamples}), what the page shows
 * ({@link DashboardView}), the live stream ({@link DashboardStream}) and the routes ({@link DashboardRoutes}). Every
 * gateway event, circuit transition and audited admin change pushes a fresh snapshot to the open pages; a tick every
 * {@link #TICK} samples the adapters and refreshes them.
 */
final class Dashboard implements AutoCloseable {
    /** How often the dashboard samples the adapters and refreshes open pages. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** Samples kept per adapter: ten minutes at one a second. */
    static final int SAMPLES = 600;

    private final DashboardSamples samples;
    private final DashboardView view;
    private final DashboardStream stream;

    Dashboard(Gateway gateway, Registry registry, EventHandlers events, AuditTrail audit, MeterRegistry meters,
              Scheduler scheduler) {
        DashboardView[] content = new DashboardView[1];
        stream = new DashboardStream(() -> content[0].history(), () -> content[0].snapshot(), () -> content[0].sample(),
                scheduler, TICK);
        samples = new DashboardSamples(registry, SAMPLES, stream::push);
        view = new DashboardView(gateway, samples, meters, stream::openStreams);
        content[0] = view;
        events.tap(event -> {
            view.onEvent(event);
            stream.push();
        });
        audit.onRecord(stream::push);
    }

    void install(RoutesConfig routes) {
        DashboardRoutes.install(routes, view, stream);
    }

    void start() {
        stream.start();
    }

    /** The live streams, for tests that count them. */
    DashboardStream stream() {
        return stream;
    }

    /** Closes the open streams and stops sampling. */
    @Override
    public void close() {
        stream.close();
        samples.close();
    }
}
