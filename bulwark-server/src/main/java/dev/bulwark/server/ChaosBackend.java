package dev.bulwark.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A standalone misbehaving backend for soak and load runs, one process per backend so that a script can kill and
 * restart it: {@code java -cp bulwark-gateway.jar dev.bulwark.server.ChaosBackend --port 9401 --fail-percent 30}.
 * Every {@code GET} path answers 200 after {@code --delay-ms} (default 0), except that {@code --fail-percent} of
 * calls answer 500 and {@code --hang-percent} of calls answer only after {@code --hang-ms} (default 60 s), each drawn
 * independently per call. Delays run on a timer, never on a sleeping thread. Binds to 127.0.0.1.
 */
public final class ChaosBackend implements AutoCloseable {
    private final Javalin app;

    /**
     * The behaviour of one backend.
     *
     * @param failPercent share of calls answered with 500, in [0, 100]
     * @param hangPercent share of calls held for {@code hangMillis}, in [0, 100]
     * @param hangMillis how long a held call waits before answering 200
     * @param delayMillis how long every other call waits before answering
     */
    public record Profile(double failPercent, double hangPercent, long hangMillis, long delayMillis) {
        /** Validates the shares and delays. */
        public Profile {
            if (!(failPercent >= 0 && failPercent <= 100) || !(hangPercent >= 0 && hangPercent <= 100)) {
                throw new IllegalArgumentException("fail and hang percentages must be in [0, 100], were " + failPercent
                        + " and " + hangPercent);
            }
            if (hangMillis < 0 || delayMillis < 0) {
                throw new IllegalArgumentException("delays must not be negative, were " + hangMillis + " and " + delayMillis);
            }
        }
    }

    private ChaosBackend(int port, Profile profile) {
        app = Javalin.create(config -> config.routes.get("/*", ctx -> answer(ctx, profile))).start("127.0.0.1", port);
    }

    /** Starts a backend on {@code port} (0 for any free port) behaving as {@code profile}. */
    public static ChaosBackend start(int port, Profile profile) {
        return new ChaosBackend(port, profile);
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    private static void answer(Context ctx, Profile profile) {
        double draw = ThreadLocalRandom.current().nextDouble() * 100;
        if (draw < profile.failPercent()) {
            ctx.status(500).result("failed");
        } else if (draw < profile.failPercent() + profile.hangPercent()) {
            later(ctx, profile.hangMillis(), "late answer");
        } else {
            later(ctx, profile.delayMillis(), "answer to '" + ctx.queryParam("q") + "'");
        }
    }

    private static void later(Context ctx, long millis, String body) {
        if (millis == 0) {
            ctx.result(body);
            return;
        }
        ctx.future(() -> CompletableFuture.runAsync(() -> ctx.result(body),
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)));
    }

    @Override
    public void close() {
        app.stop();
    }

    /** {@code --port N [--fail-percent P] [--hang-percent P] [--hang-ms MS] [--delay-ms MS]}; runs until killed. */
    public static void main(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2).toLowerCase(Locale.ROOT), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("port")) {
            System.err.println("usage: ChaosBackend --port N [--fail-percent P] [--hang-percent P] [--hang-ms MS] [--delay-ms MS]");
            System.exit(2);
        }
        Profile profile = new Profile(Double.parseDouble(options.getOrDefault("fail-percent", "0")),
                Double.parseDouble(options.getOrDefault("hang-percent", "0")),
                Long.parseLong(options.getOrDefault("hang-ms", "60000")),
                Long.parseLong(options.getOrDefault("delay-ms", "0")));
        ChaosBackend backend = start(Integer.parseInt(options.get("port")), profile);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "chaos-backend-stop"));
        System.out.println("chaos backend on 127.0.0.1:" + backend.port() + " " + profile);
    }
}
