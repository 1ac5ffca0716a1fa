package dev.bulwark.server;

import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.ConfigWatcher;
import dev.bulwark.yaml.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What happened to the configuration file's reloads: the last one (applied, or refused with the error), when, and
 * which file; counts of each. Shown at {@code GET /health/config} and as the meters
 * {@code bulwark_config_reloads_total{result="applied"|"refused"}} and {@code bulwark_config_last_reload_applied}
 * (1 when the last reload was applied or there was none, 0 when it was refused). This class is thread-safe.
 */
final class ReloadStatus {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    /** One reload: {@code error} is empty when it was applied. */
    record Reload(String result, Instant at, String file, String error) {
    }

    private final Clock clock;
    private final AtomicReference<Reload> last = new AtomicReference<>();
    private final Counter applied;
    private final Counter refused;
    private volatile String watched = "";

    ReloadStatus(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.applied = Counter.builder("bulwark.config.reloads").tag("result", "applied")
                .description("Configuration reloads, by result").register(meters);
        this.refused = Counter.builder("bulwark.config.reloads").tag("result", "refused")
                .description("Configuration reloads, by result").register(meters);
        Gauge.builder("bulwark.config.last.reload.applied", last, ref -> ref.get() == null
                        || ref.get().error().isEmpty() ? 1 : 0)
                .description("1 when the last configuration reload was applied (or none happened), 0 when refused")
                .register(meters);
    }

    /**
     * Watches {@code file} every {@code interval} and hands each valid new version to {@code apply}; records each
     * result (applied, or refused with the error, the running configuration kept), tells {@code events} and logs it.
     *
     * @throws dev.bulwark.yaml.ConfigFileException if the file is invalid now
     */
    ConfigWatcher watch(Path file, Scheduler scheduler, Duration interval, Consumer<GatewayConfig> apply,
                        Consumer<GatewayEvent> events) {
        watched = file.toString();
        return new ConfigWatcher(file, scheduler, interval, reloaded -> {
            apply.accept(reloaded);
            applied(file);
            events.accept(new GatewayEvent.Reloaded(file.toString(), true, "", clock.wallMillis()));
            LOG.log(System.Logger.Level.INFO, "reloaded " + file + ": " + reloaded.adapters().size() + " adapters "
                    + reloaded.adapters().stream().map(GatewayConfig.Adapter::name).toList());
        }, error -> {
            refused(file, error);
            events.accept(new GatewayEvent.Reloaded(file.toString(), false, Views.describe(error), clock.wallMillis()));
            LOG.log(System.Logger.Level.WARNING, "kept the running configuration; " + file + " was refused: "
                    + error.getMessage());
        });
    }

    void applied(Path file) {
        last.set(new Reload("applied", Instant.ofEpochMilli(clock.wallMillis()), file.toString(), ""));
        applied.increment();
    }

    void refused(Path file, Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        last.set(new Reload("refused", Instant.ofEpochMilli(clock.wallMillis()), file.toString(), message));
        refused.increment();
    }

    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", watched.isEmpty() ? null : watched);
        Reload reload = last.get();
        if (reload == null) {
            out.put("last_reload", null);
        } else {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("result", reload.result());
            one.put("at", reload.at().toString());
            one.put("file", reload.file());
            one.put("error", reload.error().isEmpty() ? null : reload.error());
            out.put("last_reload", one);
        }
        out.put("applied", (long) applied.count());
        out.put("refused", (long) refused.count());
        return out;
    }
}
