package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not configurations at all fail like any bad file: a ConfigFileException with file and line. */
class HostileConfigFileTest {

    @TempDir
    Path directory;

    @Test
    void aYamlBombIsRefusedInsteadOfExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        String previous = "a";
        for (String name : new String[] {"b", "c", "d", "e", "f", "g", "h", "i"}) {
            bomb.append(name).append(": &").append(name).append(" [");
            bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous))).append("]\n");
            previous = name;
        }
        bomb.append("adapters:\n  - name: bomb\n    headers: *i\n");

        assertThatThrownBy(() -> GatewayConfigLoader.parse("bomb.yaml", bomb.toString()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("bomb.yaml:1: is not usable YAML: Number of aliases for non-scalar nodes exceeds");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "adapters: " + "[".repeat(200) + "]".repeat(200) + "\n";

        assertThatThrownBy(() -> GatewayConfigLoader.parse("deep.yaml", deep))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("deep.yaml:1: is not usable YAML: Nesting Depth exceeded max 50");
    }

    @Test
    void aFileOverTheSizeLimitIsRefused() {
        String huge = "adapters:\n  - name: a\n# " + "x".repeat(GatewayConfigLoader.MAX_CODE_POINTS) + "\n";

        assertThatThrownBy(() -> GatewayConfigLoader.parse("huge.yaml", huge))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("huge.yaml:1: is " + huge.length() + " characters long, over the limit of 1048576");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWithTheirLineAndOffset() throws IOException {
        Path file = directory.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', 'd', 'a', 'p', 't', 'e', 'r', 's', ':', '\n', ' ', '-', ' ', 'c', 'a', 'f',
                (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> GatewayConfigLoader.load(file))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("latin1.yaml:2: is not UTF-8 text: byte 0xE9 at offset 16");
    }
}
