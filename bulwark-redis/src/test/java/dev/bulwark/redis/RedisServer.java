package dev.bulwark.redis;

import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests: started on a free loopback port in a temporary directory, stopped (and
 * restarted on the same port) on demand, so tests can take Redis away mid-run. Needs Debian's redis-server
 * ({@code BULWARK_REDIS_SERVER} may name another binary).
 */
final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a new server on a free port. */
    static RedisServer start() throws IOException {
        RedisServer server = new RedisServer(Files.createTempDirectory("bulwark-redis-test"), freePort());
        server.startProcess();
        return server;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (as a crash would); its data is gone, as with a restarted cache without persistence. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts the server again on the same port. */
    void restart() throws IOException {
        if (!running()) {
            startProcess();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void startProcess() throws IOException {
        String binary = System.getenv().getOrDefault("BULWARK_REDIS_SERVER", "");
        if (binary.isBlank()) {
            binary = "redis-server";
        }
        Process started = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "notice"))
                .redirectErrorStream(true)
                .start();
        process = started;
        CountDownLatch ready = new CountDownLatch(1);
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended; its exit is noticed by the waiting side
            }
        }, "redis-server-" + port + "-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                started.destroyForcibly();
                synchronized (log) {
                    throw new IOException("redis-server on port " + port + " not ready within " + START_TIMEOUT
                            + ":\n" + log);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting redis-server", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
