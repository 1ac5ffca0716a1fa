package dev.bulwark.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway {@code redis-server} on a free loopback port for benchmarks (no persistence); {@code redis-server} must
 * be on the path ({@code BULWARK_REDIS_SERVER} may name another binary). Returns once it accepts connections.
 */
final class LocalRedis implements AutoCloseable {

    private final Process process;
    private final Path dir;
    final String url;

    private LocalRedis(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.url = "redis://127.0.0.1:" + port;
    }

    static LocalRedis start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("bulwark-bench-redis");
        String binary = System.getenv().getOrDefault("BULWARK_REDIS_SERVER", "redis-server");
        Process process = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = log.readLine()) != null) {
            if (line.contains("Ready to accept connections")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (log.readLine() != null) {
                            // keep the pipe empty so the server never blocks on its log
                        }
                    } catch (IOException ended) {
                        // the server stopped
                    }
                }, "redis-log-" + port);
                drain.setDaemon(true);
                drain.start();
                return new LocalRedis(process, dir, port);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server on port " + port + " ended before it was ready");
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
