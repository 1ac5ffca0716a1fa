package dev.bulwark.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void statementsAreSplitAtSemicolonsAtLineEndsWithoutComments() {
        assertThat(Migrations.statements("-- a comment\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n  y INT\n);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (\n  y INT\n)");
    }

    @Test
    void everyScriptIsInTheJar() {
        for (String script : Migrations.SCRIPTS) {
            assertThat(Migrations.class.getResource("migrations/" + script)).as(script).isNotNull();
        }
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> StoreConfig.of("jdbc:mysql://h/db?password=secret", "", ""))
                .hasMessageContaining("jdbc:postgresql: or jdbc:h2:").hasMessageNotContaining("secret");
        assertThat(StoreConfig.embedded(Path.of("data")).jdbcUrl()).startsWith("jdbc:h2:file:").endsWith("WRITE_DELAY=0");
    }
}
