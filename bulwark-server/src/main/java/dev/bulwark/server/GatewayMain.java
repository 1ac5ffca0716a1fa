package dev.bulwark.server;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the gateway with its demo backends: {@code java -jar bulwark-server/target/bulwark-gateway.jar [config.yaml]}
 * (or {@code BULWARK_CONFIG=config.yaml}); without a file, the four demo backends are the adapters.
 * The gateway listens on port 8080 (or {@code BULWARK_PORT}), the backends on 9100 (or {@code BULWARK_DEMO_PORT}).
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        CommonPool.ensureParallel();
        int port = Integer.parseInt(System.getenv().getOrDefault("BULWARK_PORT", "8080"));
        int demoPort = Integer.parseInt(System.getenv().getOrDefault("BULWARK_DEMO_PORT", "9100"));
        DemoBackends backends = DemoBackends.start(demoPort);
        String configFile = args.length > 0 ? args[0] : System.getenv("BULWARK_CONFIG");
        Gateway gateway;
        if (configFile != null) {
            java.nio.file.Path path = java.nio.file.Path.of(configFile);
            gateway = Gateway.start(dev.bulwark.yaml.GatewayConfigLoader.load(path), port);
            Gateway running = gateway;
            new dev.bulwark.yaml.ConfigWatcher(path, dev.bulwark.time.Scheduler.system(), java.time.Duration.ofSeconds(2),
                    config -> {
                        running.reload(config);
                        System.out.println("reloaded " + path);
                    },
                    error -> System.err.println("kept the running configuration: " + error.getMessage()));
        } else {
            Map<String, URI> adapters = new LinkedHashMap<>();
            for (String name : new String[] {"fast", "flaky", "slow", "broken"}) {
                adapters.put(name, URI.create(backends.baseUri() + "/" + name));
            }
            gateway = Gateway.start(adapters, port);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            backends.close();
        }, "bulwark-shutdown"));
        if (configFile == null && !"off".equals(System.getenv("BULWARK_DEMO_LOAD"))) {
            DemoLoad.start(gateway.port());
        }
        System.out.println("Bulwark gateway on http://127.0.0.1:" + gateway.port() + " over demo backends at " + backends.baseUri());
        System.out.println("A demo load sends a query every 300 ms, so circuits open and recover: watch "
                + "curl -s localhost:" + gateway.port() + "/health/adapters (BULWARK_DEMO_LOAD=off to stop it)");
        System.out.println("Try: curl -s -X POST localhost:" + gateway.port() + "/query -d '{\"query\":\"hello\"}'");
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
