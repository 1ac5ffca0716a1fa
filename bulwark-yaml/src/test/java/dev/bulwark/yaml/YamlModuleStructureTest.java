package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.structure.ModuleStructure;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of bulwark-yaml, checked by the same code as bulwark-core's: the packages its descriptor exports, no package
 * cycle among its packages, and public API signatures that name only types users can see.
 */
class YamlModuleStructureTest {
    private final ModuleStructure module = ModuleStructure.ofThisModule(YamlModuleStructureTest.class);

    @Test
    void exportsItsApiPackagesToEveryone() {
        assertThat(module.exportedPackages()).containsExactlyInAnyOrder("dev.bulwark.yaml");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> uses = module.packageDependencies();

        assertThat(uses).as("the main sources were read").containsKeys("dev.bulwark.yaml");
        assertThat(ModuleStructure.cycles(uses)).as("package cycles (each listed as the packages on it)").isEmpty();
    }

    @Test
    void everyExportedPackageShowsOnlyExportedTypes() {
        assertThat(module.apiLeaks()).as("API signatures naming a type users cannot see").isEmpty();
    }
}
