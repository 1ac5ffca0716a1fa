package dev.bulwark.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java examples are part of the API's contract: each compiles as written (rule: {@link ReadmeExamples}). */
class ReadmeExamplesCompileTest {
    private static final String CLASS_PATH = System.getProperty("java.class.path");
    private static final Path ROOT = Path.of(System.getProperty("bulwark.root", ".."));
    private static final Path README = ROOT.resolve("README.md");

    @TempDir
    Path output;

    @Test
    void everyJavaExampleOfTheReadmeCompiles() {
        List<ReadmeExamples.Block> blocks = ReadmeExamples.blocks(ReadmeExamples.read(README).lines().toList());

        List<String> problems = ReadmeExamples.compile(blocks, ReadmeExamples.libraryPackages(CLASS_PATH), given(),
                CLASS_PATH, output);

        assertThat(blocks).as("java blocks in %s", README).isNotEmpty();
        assertThat(problems).as("README examples that do not compile (wrapping rule: ReadmeExamples; the given names:"
                + " Given.java; a block may opt out with a first line '%s <reason>')", ReadmeExamples.OPT_OUT).isEmpty();
    }

    @Test
    void everyLibraryModuleIsOnTheExamplesClassPath() throws IOException {
        List<String> libraryModules;
        try (Stream<Path> modules = Files.list(ROOT)) {
            libraryModules = modules.filter(dir -> Files.exists(dir.resolve("src/main/java/module-info.java")))
                    .map(dir -> dir.getFileName().toString())
                    .filter(name -> !name.equals("bulwark-server")) // the gateway is an application
                    .sorted().toList();
        }

        assertThat(libraryModules).contains("bulwark-core");
        for (String module : libraryModules) {
            assertThat(CLASS_PATH).as("%s is a library module: add it as a test dependency of bulwark-build-checks"
                    + " so the README's examples can use it", module).contains("/" + module + "/target/");
        }
    }

    @Test
    void aBrokenExampleIsReportedWithItsReadmeLineAndText() {
        List<String> readme = List.of("# Title", "", "```java", "Duration ok = Duration.ofSeconds(1);",
                "CircuitBreaker breaker = CircuitBreaker.noSuchFactory(\"x\");", "```", "", "```java",
                "class Fine { Duration d = Duration.ZERO; }", "```");

        List<String> problems = ReadmeExamples.compile(ReadmeExamples.blocks(readme),
                ReadmeExamples.libraryPackages(CLASS_PATH), given(), CLASS_PATH, output);

        assertThat(problems).singleElement().asString()
                .startsWith("README.md line 5 (the java block at README.md line 3): cannot find symbol")
                .contains("noSuchFactory").contains("> CircuitBreaker breaker = CircuitBreaker.noSuchFactory(\"x\");");
    }

    @Test
    void staticLinesBecomeFieldsAndGivenNamesAreInScope() {
        List<String> readme = List.of("```java", "static final ExecutionContext.Key<String> KEY = ExecutionContext.Key.of(\"k\", String.class);",
                "", "Receipt receipt = payments.charge(order);", "String value = ExecutionContext.detached()"
                        + ".with(KEY, receipt.id()).getOrDefault(KEY, \"none\");", "```");

        assertThat(ReadmeExamples.compile(ReadmeExamples.blocks(readme), ReadmeExamples.libraryPackages(CLASS_PATH),
                given(), CLASS_PATH, output)).isEmpty();
    }

    @Test
    void anExampleOptsOutOnlyWithAReason() {
        List<String> readme = List.of("```java", "// not compiled: shows a call that does not exist on purpose",
                "nothing.here();", "```", "```java", "// not compiled:", "nor.here();", "```");

        List<String> problems = ReadmeExamples.compile(ReadmeExamples.blocks(readme),
                ReadmeExamples.libraryPackages(CLASS_PATH), given(), CLASS_PATH, output);

        assertThat(problems).singleElement().asString().startsWith("README.md line 6: '// not compiled:' needs a reason");
    }

    @Test
    void anUnclosedBlockIsAnError() {
        assertThatThrownBy(() -> ReadmeExamples.blocks(List.of("text", "```java", "int x = 1;")))
                .hasMessage("README.md line 2: a ```java block is never closed");
    }

    private static String given() {
        return ReadmeExamples.read(Path.of("src/test/resources/dev/bulwark/readme/Given.java"));
    }
}
