package dev.bulwark.server;

import dev.bulwark.time.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's failover and series load: the {@link DemoAgents} report their series every second (catching up from a
 * day back, then keeping pace), and every {@value #TERMINATE_EVERY_SECONDS} s {@link DemoFailover} terminates the
 * backend serving the demo's failover group. A failed step is logged and the next one runs as planned.
 */
final class DemoReplicaLoad {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.gateway");
    static final long TERMINATE_EVERY_SECONDS = 60;

    private DemoReplicaLoad() {
    }

    static ScheduledExecutorService start(int gatewayPort) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI gateway = URI.create("http://127.0.0.1:" + gatewayPort);
        Clock clock = Clock.system();
        long dayAgo = clock.wallMillis() / 1000 - 86_400;
        DemoAgents agents = new DemoAgents(client, gateway, clock, dayAgo - dayAgo % DemoAgents.STEP_SECONDS);
        DemoFailover failover = new DemoFailover(client, gateway);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bulwark-demo-replica-load");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> agents.tick().whenComplete((done, failed) -> {
            if (failed != null) {
                LOG.log(System.Logger.Level.WARNING, "demo agents: " + failed);
            }
        }), 1, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(() -> failover.terminateServing().whenComplete((terminated, failed) -> {
            if (failed != null) {
                LOG.log(System.Logger.Level.WARNING, "demo failover: " + failed);
            } else {
                LOG.log(System.Logger.Level.INFO, "demo: terminated " + terminated + ", the backend serving "
                        + DemoFailover.GROUP + "; watch curl -s " + gateway + "/failover/" + DemoFailover.GROUP);
            }
        }), 20, TERMINATE_EVERY_SECONDS, TimeUnit.SECONDS);
        return timer;
    }
}
