package dev.bulwark.server;

import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the gateway: {@code java -jar bulwark-gateway.jar [config.yaml]} (or {@code BULWARK_CONFIG=config.yaml}).
 * Without a file it runs the bundled {@code examples/demo.yaml} over the in-process demo backends, with a small
 * demo load. A given file is watched and reloaded when it changes. {@code BULWARK_PORT} and
 * {@code BULWARK_ADMIN_TOKEN}, when set, win over the file's {@code server:} block; the demo backends listen on
 * {@code BULWARK_DEMO_PORT} (default 9100). {@code --cluster} runs two gateways sharing one Redis ({@link DemoCluster}). The dashboard is at {@code /}; without a {@code storage:} block, admin
 * changes are audited in an embedded database in {@code BULWARK_AUDIT_DIR} (default: {@code data} beside the file). SIGTERM drains queries in flight before the process ends.
 */
public final class GatewayMain {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.gateway");
    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        CommonPool.ensureParallel();
        Map<String, String> env = System.getenv();
        if (args.length > 0 && args[0].equals("--cluster")) {
            runCluster(env);
            return;
        }
        String configFile = args.length > 0 ? args[0] : env.get("BULWARK_CONFIG");
        // only the demo runs the demo backends: a user's configuration points at its own
        CompletableFuture<DemoBackends> starting = null;
        // the demo's database directory, deleted when the demo stops (made here: the backends start beside the gateway)
        TemporaryDirectories demoData = new TemporaryDirectories();
        GatewayConfig loaded;
        String source;
        if (configFile == null) {
            int demoPort = demoPort(env);
            starting = startDemoBackends(demoPort);
            URI demo = demoPort == 0 ? starting.join().baseUri() : URI.create("http://127.0.0.1:" + demoPort);
            loaded = demoConfig(demo, demoData.create("bulwark-demo-data"));
            source = "examples/demo.yaml over the demo backends at " + demo;
        } else {
            loaded = GatewayConfigLoader.load(Path.of(configFile));
            source = configFile + " (reloaded when it changes)";
        }
        GatewayConfig config = withEnvironment(loaded, env);
        LOG.log(System.Logger.Level.INFO, "Bulwark gateway starting with " + source);
        // the hook is in place before the gateway listens: a SIGTERM that comes while it starts still drains it
        CompletableFuture<Gateway> running = new CompletableFuture<>();
        CompletableFuture<DemoBackends> demoStarting = starting;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Gateway started = awaitStart(running);
            if (started == null) {
                return; // the start failed and cleaned up after itself
            }
            LOG.log(System.Logger.Level.INFO, "shutting down: draining " + started.queriesInFlight() + " queries in flight");
            started.close();
            if (demoStarting != null) {
                DemoBackends demo = demoStarting.getNow(null);
                if (demo != null) {
                    demo.close();
                }
            }
            demoData.deleteAll();
            LOG.log(System.Logger.Level.INFO, "stopped");
            stopped.countDown();
        }, "bulwark-shutdown"));
        Gateway gateway;
        try {
            gateway = config.replica().storage() != null ? Gateway.start(config)
                    : Gateway.start(config, auditDirectory(env, Path.of(configFile == null ? "bulwark.yaml" : configFile)));
        } catch (RuntimeException | Error failed) {
            if (starting != null) {
                starting.handle((started, notStarted) -> started).thenAccept(started -> {
                    if (started != null) {
                        started.close();
                    }
                }).join();
            }
            demoData.deleteAll();
            running.completeExceptionally(failed);
            throw failed;
        }
        if (starting != null) {
            try {
                starting.join();
            } catch (CompletionException failed) {
                gateway.close();
                demoData.deleteAll();
                running.completeExceptionally(failed);
                throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
            }
        }
        running.complete(gateway);
        String base = "http://" + config.server().host() + ":" + gateway.port();
        LOG.log(System.Logger.Level.INFO, "open the dashboard: " + base + "/");
        if (configFile != null) {
            gateway.watch(Path.of(configFile), Scheduler.system(), Duration.ofSeconds(2));
        }
        if (configFile == null && !"off".equals(env.get("BULWARK_DEMO_LOAD"))) {
            DemoLoad.start(gateway.port());
            LOG.log(System.Logger.Level.INFO, "a demo load sends a query every 300 ms, so circuits open and recover: "
                    + "watch curl -s " + base + "/health/adapters (BULWARK_DEMO_LOAD=off to stop it)");
            DemoReplicaLoad.start(gateway.port());
            LOG.log(System.Logger.Level.INFO, "two demo agents report the series " + DemoAgents.SERIES + " and the backend "
                    + "serving " + DemoFailover.GROUP + " is terminated every " + DemoReplicaLoad.TERMINATE_EVERY_SECONDS
                    + " s: watch curl -s " + base + "/failover/" + DemoFailover.GROUP + " ; curl -s " + base + "/series/"
                    + DemoAgents.SERIES + "/quality");
        }
        LOG.log(System.Logger.Level.INFO, "try: curl -s -X POST -H 'Content-Type: application/json' " + base
                + "/query -d '{\"query\":\"hello\"}' ; curl -s " + base + "/health/system");
        stopped.await();
    }

    /** The gateway once its start has finished (waiting up to a minute for it), or null if the start failed. */
    private static @org.jspecify.annotations.Nullable Gateway awaitStart(CompletableFuture<Gateway> running) {
        try {
            return running.get(1, TimeUnit.MINUTES);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return running.getNow(null);
        } catch (ExecutionException | TimeoutException failedOrStuck) {
            return null;
        }
    }

    /** {@code ./bulwark demo --cluster}: two gateways on one Redis until SIGTERM. */
    private static void runCluster(Map<String, String> env) throws InterruptedException {
        DemoCluster cluster = DemoCluster.start(env);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            LOG.log(System.Logger.Level.INFO, "stopped both gateways");
            stopped.countDown();
        }, "bulwark-shutdown"));
        LOG.log(System.Logger.Level.INFO, cluster.walkthrough());
        stopped.await();
    }

    /**
     * Where admin changes are audited when the configuration has no {@code storage:} block: {@code BULWARK_AUDIT_DIR},
     * else the directory {@code data} beside the configuration file.
     */
    static Path auditDirectory(Map<String, String> env, Path configFile) {
        String dir = env.get("BULWARK_AUDIT_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir.trim());
        }
        Path parent = configFile.toAbsolutePath().getParent();
        return (parent == null ? Path.of(".") : parent).resolve("data");
    }

    private static int demoPort(Map<String, String> env) {
        return Integer.parseInt(env.getOrDefault("BULWARK_DEMO_PORT", "9100"));
    }

    /**
     * Starts the demo backends on {@code port} on a thread of their own, beside the gateway's start-up (the gateway
     * calls them only once it answers); a port in use fails the start all the same, once the gateway is up.
     */
    private static CompletableFuture<DemoBackends> startDemoBackends(int port) {
        CompletableFuture<DemoBackends> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(DemoBackends.start(port));
            } catch (RuntimeException failed) {
                started.completeExceptionally(PortInUse.explain(failed, "127.0.0.1", port, "BULWARK_DEMO_PORT"));
            }
        }, "bulwark-demo-backends-start");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    /**
     * The bundled demo configuration, pointed at the running demo backends, its database in a fresh temporary
     * directory (nothing to install, nothing left in the work tree: closing the backends deletes it).
     */
    static GatewayConfig demoConfig(DemoBackends backends) {
        return demoConfig(backends, backends.dataDirectory());
    }

    /** The bundled demo configuration, pointed at the running demo backends, its database in {@code data}. */
    static GatewayConfig demoConfig(DemoBackends backends, Path data) {
        return demoConfig(backends.baseUri(), data);
    }

    /** The bundled demo configuration, pointed at the demo backends at {@code demo}, its database in {@code data}. */
    private static GatewayConfig demoConfig(URI demo, Path data) {
        try (InputStream in = GatewayMain.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml is missing from the jar");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${demo}", demo.toString())
                    .replace("${data}", data.toString().replace("\\", "/"));
            return GatewayConfigLoader.parse("examples/demo.yaml", yaml);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** {@code BULWARK_PORT} and {@code BULWARK_ADMIN_TOKEN}, when set, in place of the file's values. */
    static GatewayConfig withEnvironment(GatewayConfig config, Map<String, String> env) {
        GatewayConfig.Server server = config.server();
        int port = server.port();
        String portText = env.get("BULWARK_PORT");
        if (portText != null) {
            try {
                port = Integer.parseInt(portText.trim());
            } catch (NumberFormatException notANumber) {
                port = -1;
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("BULWARK_PORT must be a port number in [0, 65535], was '" + portText + "'");
            }
        }
        String token = env.getOrDefault("BULWARK_ADMIN_TOKEN", server.adminToken());
        return config.withServer(server.withPort(port).withAdminToken(token));
    }
}
