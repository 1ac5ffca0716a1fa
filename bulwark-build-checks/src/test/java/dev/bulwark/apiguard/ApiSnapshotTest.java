package dev.bulwark.apiguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API guard's tool reads a compiled module's API as the snapshot format promises, and reports a difference. */
class ApiSnapshotTest {
    private static final Path ROOT = Path.of(System.getProperty("bulwark.root", ".."));
    private static final Map<String, String> SAMPLE = Map.of(
            "module-info.java", """
                    module sample {
                        requires static org.jspecify;
                        exports sample.api;
                        exports sample.internal to java.base;
                    }""",
            "sample/api/Shape.java", "package sample.api; public sealed interface Shape permits Circle, Square { double area(); }",
            "sample/api/Circle.java", """
                    package sample.api;
                    public record Circle(double radius) implements Shape { public double area() { return radius; } }""",
            "sample/api/Square.java", """
                    package sample.api;
                    public final class Square implements Shape {
                        public Square(double side) { }
                        public double area() { return 0; }
                        protected void notReachable() { }
                    }""",
            "sample/api/Color.java", "package sample.api; public enum Color { RED, GREEN }",
            "sample/api/Registry.java", """
                    package sample.api;
                    import java.util.function.Function;
                    import org.jspecify.annotations.Nullable;
                    public class Registry<T extends Comparable<T>> {
                        protected int count;
                        private int secret;
                        public <R> @Nullable R find(String key, Function<? super T, ? extends R> f) throws java.io.IOException {
                            return null;
                        }
                        public void names(String... names) { }
                        void packagePrivate() { }
                        public static final class Entry { }
                    }""",
            "sample/api/Helper.java", "package sample.api; class Helper { public void notApi() { } }",
            "sample/internal/Hidden.java", "package sample.internal; public class Hidden { }");

    @TempDir
    static Path work;
    private static Method run;

    @BeforeAll
    static void compileTheToolAndASampleModule() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path sources = work.resolve("src");
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : SAMPLE.entrySet()) {
            Path file = sources.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        String jspecify = jarOf(Nullable.class);
        List<String> sampleArgs = new ArrayList<>(List.of("--module-path", jspecify, "-d", work.resolve("classes").toString()));
        sampleArgs.addAll(files);
        assertThat(javac.run(null, null, null, sampleArgs.toArray(String[]::new))).as("the sample compiles").isZero();
        assertThat(javac.run(null, null, null, "-d", work.resolve("tool").toString(),
                ROOT.resolve("build-support/ApiSnapshot.java").toString())).as("the tool compiles").isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] {work.resolve("tool").toUri().toURL(),
                work.resolve("classes").toUri().toURL(), Path.of(jspecify).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        run = loader.loadClass("ApiSnapshot").getDeclaredMethod("run", String[].class, PrintStream.class);
        run.setAccessible(true);
    }

    @Test
    void theSnapshotListsTheExportedApiWithFullSignatures() throws Exception {
        Path snapshot = work.resolve("written/sample.api");

        Result written = run(snapshot, true);

        assertThat(written.status()).isZero();
        assertThat(written.output()).contains("[api] sample: 5 public top-level types");
        List<String> lines = Files.readAllLines(snapshot);
        assertThat(lines).contains("module sample", "  exports sample.api",
                "public sealed interface sample.api.Shape permits sample.api.Circle, sample.api.Square",
                "  public abstract double area()",
                "public final record sample.api.Circle(double radius) implements sample.api.Shape",
                "public final class sample.api.Square implements sample.api.Shape",
                "  public Square(double)",
                "public final enum sample.api.Color", "  enum constant RED", "  enum constant GREEN",
                "public class sample.api.Registry<T extends java.lang.Comparable<T>>",
                "  protected int count",
                "  public <R> @Nullable R find(java.lang.String, java.util.function.Function<? super T, ? extends R>)"
                        + " throws java.io.IOException",
                "  public void names(java.lang.String...)",
                "public static final class sample.api.Registry.Entry");
        assertThat(String.join("\n", lines)).doesNotContain("sample.internal", "Hidden", "Helper", "notApi", "secret",
                "packagePrivate", "notReachable");
        assertThat(run(snapshot, false).output()).contains("matches sample.api");
    }

    @Test
    void aDifferenceFailsNamingTheLinesAndTheCommandThatRewritesTheSnapshot() throws Exception {
        Path snapshot = work.resolve("changed/sample.api");
        run(snapshot, true);
        String text = Files.readString(snapshot);
        Files.writeString(snapshot, text.replace("  public void names(java.lang.String...)\n", "  public void names()\n"));

        Result checked = run(snapshot, false);

        assertThat(checked.status()).isEqualTo(1);
        assertThat(checked.output()).contains("  sample.api.Registry:", "  -  public void names()",
                "  +  public void names(java.lang.String...)", "[api] lines added: 1, removed: 1",
                "mvn -B -ntp verify -DskipTests -Dbulwark.api.update=true");
    }

    @Test
    void aMissingSnapshotFailsListingTheWholeApiAsAdded() throws Exception {
        Result checked = run(work.resolve("absent/sample.api"), false);

        assertThat(checked.status()).isEqualTo(1);
        assertThat(checked.output()).contains("(there is no snapshot yet)", "  +  enum constant RED");
    }

    private record Result(int status, String output) {
    }

    private static Result run(Path snapshot, boolean update) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] args = {work.resolve("classes").toString(), snapshot.toString(), "sample", String.valueOf(update)};
        int status = (int) run.invoke(null, args, out);
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private static String jarOf(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
