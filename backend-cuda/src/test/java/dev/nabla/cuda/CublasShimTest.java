package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jcuda.JCudaVersion;
import org.junit.jupiter.api.Test;

/**
 * The libcublas.so.12 compatibility shim, checked against the JCublas natives it must satisfy:
 * the ELF facts the dynamic loader compares when it binds JCublas to the shim.
 */
class CublasShimTest {
    private static final String NATIVES = "/lib/lib%s-" + JCudaVersion.get() + "-linux-x86_64.so";

    @Test
    void isBuiltIntoTheJarWheneverTheBuildHasACompiler() {
        assumeTrue(compilerOnPath(), "no gcc on PATH: the build skips the shim, and so does this test");
        assertNotNull(
                CublasCompat.class.getResource(CublasCompat.SHIM_RESOURCE),
                "gcc is on PATH but the build did not produce " + CublasCompat.SHIM_RESOURCE);
    }

    @Test
    void hasTheSonameThatJCublasNeeds() throws IOException {
        ElfDynamic shim = shim();
        assertEquals("libcublas.so.12", shim.soname());
        for (ElfDynamic natives : jcublasNatives()) {
            assertTrue(natives.needed().contains(shim.soname()), "JCublas natives need " + natives.needed());
        }
    }

    @Test
    void definesEveryVersionNodeThatJCublasNeedsOfIt() throws IOException {
        ElfDynamic shim = shim();
        for (ElfDynamic natives : jcublasNatives()) {
            Set<String> needed = natives.versionNeeds().get("libcublas.so.12");
            assertNotNull(needed, "JCublas natives need no version of libcublas.so.12: " + natives.versionNeeds());
            assertTrue(
                    shim.versionDefinitions().containsAll(needed),
                    "needed " + needed + ", defined " + shim.versionDefinitions());
        }
    }

    @Test
    void exportsEveryCublasSymbolThatJCublasImportsWithTheVersionItAsks() throws IOException {
        Map<String, String> exported = shim().dynamicSymbols().stream()
                .filter(ElfDynamic.Symbol::defined)
                .collect(Collectors.toMap(ElfDynamic.Symbol::name, s -> String.valueOf(s.version())));
        Set<String> missing = new TreeSet<>();
        int imported = 0;
        for (ElfDynamic natives : jcublasNatives()) {
            for (ElfDynamic.Symbol symbol : natives.dynamicSymbols()) {
                if (!symbol.defined() && "libcublas.so.12".equals(symbol.file())) {
                    imported++;
                    if (!symbol.version().equals(exported.get(symbol.name()))) {
                        missing.add(symbol.name() + "@" + symbol.version());
                    }
                }
            }
        }
        assertTrue(imported > 600, "JCublas and JCublas2 import hundreds of cuBLAS functions, found " + imported);
        assertEquals(Set.of(), missing, "imported by JCublas but not exported by the shim");
    }

    @Test
    void exportsNothingButCublasFunctions() throws IOException {
        ElfDynamic shim = shim();
        List<String> others = shim.dynamicSymbols().stream()
                .filter(ElfDynamic.Symbol::defined)
                .map(ElfDynamic.Symbol::name)
                .filter(name ->
                        !name.startsWith("cublas") && !shim.versionDefinitions().contains(name))
                .toList();
        assertEquals(List.of(), others);
    }

    @Test
    void linksNoCudaLibrarySoItLoadsBeforeCuBlas13IsFound() throws IOException {
        Set<String> allowed = Set.of("libc.so.6", "libdl.so.2");
        assertTrue(allowed.containsAll(shim().needed()), "the shim needs " + shim().needed());
    }

    private static ElfDynamic shim() throws IOException {
        byte[] bytes = resource(CublasCompat.SHIM_RESOURCE);
        assumeTrue(bytes != null, "the shim was not built (no gcc at build time)");
        return ElfDynamic.parse(bytes);
    }

    private static List<ElfDynamic> jcublasNatives() throws IOException {
        byte[] jcublas = resource(String.format(NATIVES, "JCublas"));
        byte[] jcublas2 = resource(String.format(NATIVES, "JCublas2"));
        assertNotNull(jcublas2, "the jcublas-natives jar is not on the test class path");
        return jcublas == null
                ? List.of(ElfDynamic.parse(jcublas2))
                : List.of(ElfDynamic.parse(jcublas), ElfDynamic.parse(jcublas2));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CublasShimTest.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    static boolean compilerOnPath() {
        String compiler = System.getenv().getOrDefault("CC", "gcc");
        if (compiler.contains("/")) {
            return Files.isExecutable(Path.of(compiler));
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, compiler))) {
                return true;
            }
        }
        return false;
    }
}
