package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GatewayMain} as a process: what it starts, what it prints first, and how it fails on a taken port. */
class GatewayMainProcessTest {

    /** Runs GatewayMain; returns its output lines as they come. */
    private static Process run(Map<String, String> env, String... args) throws Exception {
        return run(List.of(), env, args);
    }

    private static Process run(List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BULWARK_DEMO_LOAD", "off");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
            lines.add("<end>");
        }, "gateway-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<String> until(BlockingQueue<String> lines, String marker) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (String line = lines.poll(60, TimeUnit.SECONDS); line != null; line = lines.poll(60, TimeUnit.SECONDS)) {
            seen.add(line);
            if (line.contains(marker) || line.equals("<end>")) {
                return seen;
            }
        }
        return seen;
    }

    @Test
    void aUsersConfigurationStartsNoDemoBackendsAndTheGatewaysOwnLinesComeFirst(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("my.yaml");
        Files.writeString(config, "adapters:\n  - name: mine\n    url: http://127.0.0.1:1/mine\n");
        try (ServerSocket demoPortTaken = new ServerSocket(0)) {
            Process gateway = run(Map.of("BULWARK_PORT", "0", "BULWARK_DEMO_PORT",
                    Integer.toString(demoPortTaken.getLocalPort())), config.toString());
            try {
                List<String> startup = until(lines(gateway), "try: curl");

                assertThat(startup.get(0)).matches(".* INFO gateway - Bulwark gateway starting with "
                        + java.util.regex.Pattern.quote(config.toString()) + " \\(reloaded when it changes\\)");
                assertThat(startup.get(1)).matches(".* INFO Gateway - Bulwark gateway on http://127\\.0\\.0\\.1:\\d+ with adapters "
                        + "mine; at most 2 backend calls per query");
                assertThat(String.join("\n", startup)).doesNotContain("demo backends").doesNotContain("Javalin")
                        .doesNotContain("days old").doesNotContain("__");
                assertThat(gateway.isAlive()).isTrue();
            } finally {
                gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theDemoOnATakenPortFailsNamingTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Process demo = run(Map.of("BULWARK_PORT", "0", "BULWARK_DEMO_PORT", Integer.toString(taken.getLocalPort())));
            try {
                List<String> output = until(lines(demo), "<end>");

                assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(demo.exitValue()).isNotZero();
                assertThat(String.join("\n", output)).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                        + " (the port is in use); set BULWARK_DEMO_PORT to a free port");
            } finally {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void theGatewayOnATakenPortFailsNamingTheSettingToChange(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("my.yaml");
        Files.writeString(config, "adapters:\n  - name: mine\n    url: http://127.0.0.1:1/mine\n");
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process gateway = run(Map.of("BULWARK_PORT", Integer.toString(taken.getLocalPort())), config.toString());
            try {
                List<String> output = until(lines(gateway), "<end>");

                assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(gateway.exitValue()).isNotZero();
                assertThat(String.join("\n", output)).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                        + " (the port is in use); set server.port (or BULWARK_PORT) to a free port");
            } finally {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    void theDemoStoppedBySigtermLeavesNoTemporaryDirectoryBehind(@TempDir Path tmp) throws Exception {
        Process demo = run(List.of("-Djava.io.tmpdir=" + tmp), Map.of("BULWARK_PORT", "0", "BULWARK_DEMO_PORT", "0"));
        try {
            BlockingQueue<String> output = lines(demo);
            assertThat(until(output, "try: curl")).last().asString().contains("try: curl");
            assertThat(tmp).as("the demo's database is in the temporary directory while it runs")
                    .isDirectoryContaining(path -> path.getFileName().toString().startsWith("bulwark-demo-data"));

            // SIGTERM through the handle: Process.destroy() would also close our end of the child's output
            demo.toHandle().destroy();

            assertThat(until(output, " stopped")).last().asString().endsWith(" stopped");
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("the demo ends after SIGTERM").isTrue();
            try (var left = Files.list(tmp)) {
                assertThat(left.map(path -> path.getFileName().toString()))
                        .as("temporary files of the demo left behind").noneMatch(name -> name.startsWith("bulwark-"));
            }
        } finally {
            demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
