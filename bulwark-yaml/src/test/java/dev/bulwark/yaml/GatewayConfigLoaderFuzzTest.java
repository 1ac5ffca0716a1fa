package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any file content is either a configuration or a {@link ConfigFileException} naming the file and a line: never
 * another exception, never a hang (YAML bombs, deep nesting and huge documents are refused by limits).
 *
 * <p>Under {@code mvn verify} this replays the committed inputs in
 * {@code src/test/resources/dev/bulwark/yaml/GatewayConfigLoaderFuzzTestInputs/} (seeds and every finding);
 * {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class GatewayConfigLoaderFuzzTest {
    private static final String NAME = "fuzz.yaml";

    @TempDir
    static Path directory;

    @FuzzTest(maxDuration = "5m")
    void anyBytesLoadOrFailWithFileAndLine(byte[] content) throws IOException {
        Path file = directory.resolve(NAME);
        Files.write(file, content);
        try {
            GatewayConfig config = GatewayConfigLoader.load(file);
            assertThat(config.adapters()).isNotEmpty();
        } catch (ConfigFileException refused) {
            assertThat(refused.file()).isEqualTo(NAME);
            assertThat(refused.line()).isPositive();
            assertThat(refused.getMessage()).startsWith(NAME + ":" + refused.line() + ": ").hasSizeGreaterThan(
                    (NAME + ":" + refused.line() + ": ").length());
        } catch (UncheckedIOException unreadable) {
            throw new AssertionError("the file was readable: its content must not be an I/O problem", unreadable);
        }
    }
}
