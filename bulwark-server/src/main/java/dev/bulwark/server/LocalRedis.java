package dev.bulwark.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} process of our own for {@code ./bulwark demo --cluster} (and the gateway's cluster tests):
 * started on a free loopback port in a temporary directory without persistence, stopped (and restartable on the same
 * port) on demand. Needs Debian's {@code redis-server} package ({@code BULWARK_REDIS_SERVER} may name another
 * binary). Not thread-safe: one owner starts and stops it.
 */
final class LocalRedis implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 15;

    private final Path dir;
    private final int port;
    private @Nullable Process process;

    private LocalRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @throws IllegalStateException naming the Debian package when {@code redis-server} cannot be run
     */
    static LocalRedis start() {
        try {
            LocalRedis redis = new LocalRedis(Files.createTempDirectory("bulwark-redis"), freePort());
            redis.startProcess();
            return redis;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once, as a crash would; its data is gone. */
    void stop() throws InterruptedException {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            running.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts the server again on the same port (empty). */
    void restart() throws IOException {
        Process running = process;
        if (running == null || !running.isAlive()) {
            startProcess();
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        TemporaryDirectories.delete(dir);
    }

    private void startProcess() throws IOException {
        String binary = System.getenv().getOrDefault("BULWARK_REDIS_SERVER", "").isBlank() ? "redis-server"
                : System.getenv("BULWARK_REDIS_SERVER");
        Process started;
        try {
            started = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "notice"))
                    .redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new IllegalStateException("cannot run '" + binary + "' (" + missing.getMessage() + "): install the "
                    + "Debian package redis-server (apt-get install redis-server), or set BULWARK_REDIS_URL to a "
                    + "running Redis", missing);
        }
        process = started;
        CountDownLatch ready = new CountDownLatch(1);
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ended) {
                // the process ended; the waiting side notices
            }
        }, "redis-server-" + port + "-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                synchronized (log) {
                    throw new IOException("redis-server on port " + port + " was not ready within "
                            + START_TIMEOUT_SECONDS + " s:\n" + log);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            throw new IOException("interrupted while starting redis-server", interrupted);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
