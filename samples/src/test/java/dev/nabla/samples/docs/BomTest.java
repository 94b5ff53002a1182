package dev.nabla.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bom/pom.xml has no parent (an imported BOM brings its parent's managed versions to the user), so
 * its version is written literally: it must be the project's, and it must manage exactly the
 * library's modules, each at that version.
 */
class BomTest {
    private final Path root = Markdown.root();
    private final Pom parent = Pom.read(root.resolve("pom.xml"));
    private final Pom bom = Pom.read(root.resolve("bom/pom.xml"));

    @Test
    void itIsTheProjectsVersionWithNoParent() {
        assertFalse(bom.hasParent(), "a parent's dependencyManagement would reach every user of the BOM");
        assertEquals(
                parent.groupId() + ":nabla-bom:" + parent.version(),
                bom.groupId() + ":" + bom.artifactId() + ":" + bom.version());
        assertTrue(parent.modules().contains("bom"), "the root pom builds it");
    }

    @Test
    void itManagesEveryLibraryModuleAndNothingElse() {
        List<String> expected = new ArrayList<>();
        for (String module : parent.modules()) {
            if (module.equals("bom") || module.equals("samples") || module.equals("integration-tests")) {
                continue; // the samples are programs and integration-tests only tests, not libraries
            }
            expected.add(parent.groupId() + ":"
                    + Pom.read(root.resolve(module).resolve("pom.xml")).artifactId() + ":${project.version}");
        }
        assertEquals(
                expected.stream().sorted().toList(),
                bom.managedDependencies().stream().sorted().toList());
    }

    /** Commands on the whole build (clean, install, the launchers' dependency:build-classpath, spotless:apply) run on it too. */
    @Test
    void itsPluginsAreTheRootPomsVersions() {
        List<String> expected = new ArrayList<>();
        for (String plugin : parent.managedPlugins()) {
            String[] nameVersion = plugin.split("=", 2);
            String version = nameVersion[1].startsWith("${")
                    ? parent.property(nameVersion[1].substring(2, nameVersion[1].length() - 1))
                    : nameVersion[1];
            if (List.of(
                            "maven-clean-plugin",
                            "maven-install-plugin",
                            "maven-dependency-plugin",
                            "spotless-maven-plugin")
                    .contains(nameVersion[0])) {
                expected.add(nameVersion[0] + "=" + version);
            }
        }
        assertEquals(4, expected.size(), "the root pom manages clean, install, dependency and spotless: " + expected);
        assertEquals(
                expected.stream().sorted().toList(),
                bom.managedPlugins().stream().sorted().toList());
    }
}
