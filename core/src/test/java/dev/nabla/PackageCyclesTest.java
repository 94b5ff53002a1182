package dev.nabla;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Core's top-level packages ({@code dev.nabla.tensor}, {@code dev.nabla.nn} with its
 * sub-packages, …) depend on each other without a cycle. A failure names each cycle and the
 * dependencies that close it.
 */
class PackageCyclesTest {

    @Test
    void corePackagesAreFreeOfCycles() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.nabla");
        slices().matching("dev.nabla.(*)..").should().beFreeOfCycles().check(classes);
    }
}
