package dev.bulwark.server;

import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.ConfigWatcher;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the gateway: {@code java -jar bulwark-gateway.jar [config.yaml]} (or {@code BULWARK_CONFIG=config.yaml}).
 * Without a file it runs the bundled {@code examples/demo.yaml} over the in-process demo backends, with a small
 * demo load. A given file is watched and reloaded when it changes. {@code BULWARK_PORT} and
 * {@code BULWARK_ADMIN_TOKEN}, when set, win over the file's {@code server:} block; the demo backends listen on
 * {@code BULWARK_DEMO_PORT} (default 9100). SIGTERM drains queries in flight before the process ends.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        CommonPool.ensureParallel();
        Map<String, String> env = System.getenv();
        DemoBackends backends = DemoBackends.start(Integer.parseInt(env.getOrDefault("BULWARK_DEMO_PORT", "9100")));
        String configFile = args.length > 0 ? args[0] : env.get("BULWARK_CONFIG");
        GatewayConfig config = configFile == null ? demoConfig(backends)
                : GatewayConfigLoader.load(Path.of(configFile));
        Gateway gateway = Gateway.start(withEnvironment(config, env));
        if (configFile != null) {
            Path path = Path.of(configFile);
            new ConfigWatcher(path, Scheduler.system(), Duration.ofSeconds(2), reloaded -> {
                gateway.reload(reloaded);
                System.out.println("reloaded " + path);
            }, error -> System.err.println("kept the running configuration: " + error.getMessage()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("shutting down: draining " + gateway.queriesInFlight() + " queries in flight");
            System.out.flush();
            gateway.close();
            backends.close();
            System.out.println("stopped");
            System.out.flush();
            stopped.countDown();
        }, "bulwark-shutdown"));
        if (configFile == null && !"off".equals(env.get("BULWARK_DEMO_LOAD"))) {
            DemoLoad.start(gateway.port());
        }
        String base = "http://127.0.0.1:" + gateway.port();
        System.out.println("Bulwark gateway on " + base + " over demo backends at " + backends.baseUri()
                + (configFile == null ? " (examples/demo.yaml)" : " (" + configFile + ", reloaded when it changes)"));
        if (configFile == null) {
            System.out.println("A demo load sends a query every 300 ms, so circuits open and recover: watch "
                    + "curl -s " + base + "/health/adapters (BULWARK_DEMO_LOAD=off to stop it)");
        }
        System.out.println("Try: curl -s -X POST " + base + "/query -d '{\"query\":\"hello\"}'");
        System.out.println("     curl -s " + base + "/health/system ; curl -s " + base + "/metrics");
        System.out.flush();
        stopped.await();
    }

    /** The bundled demo configuration, pointed at the running demo backends. */
    static GatewayConfig demoConfig(DemoBackends backends) {
        try (InputStream in = GatewayMain.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml is missing from the jar");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${demo}", backends.baseUri().toString());
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
        return config.withServer(new GatewayConfig.Server(server.host(), port, token, server.maxRequestBytes()));
    }
}
