package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.structure.ModuleStructure;
import dev.bulwark.structure.leaky.LeakyApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shape of bulwark-core's packages: no package depends on itself through others, and the public types of every
 * package the module exports show users only exported types. The other library modules run the same checks through
 * {@link ModuleStructure}.
 */
class PackageStructureTest {
    private final ModuleStructure core = ModuleStructure.ofThisModule(PackageStructureTest.class);

    @Test
    void noPackageOfTheCoreDependsOnItselfThroughOthers() {
        Map<String, Set<String>> uses = core.packageDependencies();

        assertThat(uses).as("the main sources were read").containsKeys("dev.bulwark", "dev.bulwark.internal");
        assertThat(ModuleStructure.cycles(uses)).as("package cycles (each listed as the packages on it)").isEmpty();
    }

    @Test
    void aCycleIsFoundWhereThereIsOne() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

        assertThat(ModuleStructure.cycles(uses)).containsExactly(new TreeSet<>(List.of("a", "b", "c")));
    }

    @Test
    void theExportsAreReadFromTheModuleDescriptorLeavingOutTheQualifiedOnes() {
        assertThat(core.exportedPackages())
                .contains("dev.bulwark", "dev.bulwark.time", "dev.bulwark.circuit", "dev.bulwark.fanout")
                .doesNotContain("dev.bulwark.internal");
        core.exportedPackages().forEach(pkg ->
                assertThat(core.publicTypesOf(pkg)).as("public types of exported " + pkg).isNotEmpty());
    }

    @Test
    void everyExportedPackageShowsOnlyExportedTypes() {
        assertThat(core.apiLeaks()).as("API signatures naming a type users cannot see").isEmpty();
    }

    @Test
    void aSignatureNamingAnInternalTypeIsFound() {
        ModuleStructure tests = ModuleStructure.of(Path.of("src/test/java"), Path.of("target/test-classes"),
                PackageStructureTest.class.getClassLoader());

        assertThat(tests.apiLeaks(List.of(LeakyApi.class.getPackageName())))
                .containsExactly(LeakyApi.class.getName() + " shows dev.bulwark.internal.GivenSettings");
    }
}
