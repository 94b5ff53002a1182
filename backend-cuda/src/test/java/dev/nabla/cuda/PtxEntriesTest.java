package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.kernels.KernelSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX and the Java side agree, checked without a GPU: every kernel the backend
 * launches exists in its module with exactly the declared parameters, every entry in the PTX is
 * declared, the PTX targets compute_75, and each PTX was built from the current .cu sources.
 */
class PtxEntriesTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM =
            Pattern.compile("\\.param\\s+(\\.align\\s+(\\d+)\\s+)?(\\.\\w+)\\s+\\w+(\\[(\\d+)\\])?");
    static final Path CUDA_SOURCES = cudaSources();

    /**
     * kernels/src/main/cuda of the checkout these test classes were built in (found from
     * backend-cuda/target/test-classes), or null where the tests run from a jar (a GPU bundle).
     */
    private static Path cudaSources() {
        try {
            Path classes = Path.of(PtxEntriesTest.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isDirectory(classes)) {
                Path sources = classes.resolve("../../../kernels/src/main/cuda").normalize();
                return Files.isDirectory(sources) ? sources : null;
            }
        } catch (Exception e) {
            // not a file system location
        }
        return null;
    }

    /** Skips a source check where the sources are not at hand. */
    static Path sources() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                CUDA_SOURCES != null, "the CUDA sources are not beside these test classes (running from a bundle)");
        return CUDA_SOURCES;
    }

    /** entry name → its parameters as Param.ptx strings, per module. */
    private static Map<String, List<String>> entries(String module) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        Matcher entry = ENTRY.matcher(KernelSources.cudaPtx(module));
        while (entry.find()) {
            List<String> params = new ArrayList<>();
            Matcher param = PARAM.matcher(entry.group(2));
            while (param.find()) {
                String align = param.group(1) == null ? "" : ".align " + param.group(2) + " ";
                String array = param.group(4) == null ? "" : "[" + param.group(5) + "]";
                params.add(align + param.group(3) + array);
            }
            entries.put(entry.group(1), params);
        }
        return entries;
    }

    @Test
    void everyLaunchedKernelIsInItsPtxWithTheDeclaredParameters() {
        Map<String, Map<String, List<String>>> modules = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (KernelSpec spec : Kernels.all()) {
            Map<String, List<String>> entries = modules.computeIfAbsent(spec.module(), PtxEntriesTest::entries);
            List<String> found = entries.get(spec.name());
            List<String> declared = spec.params().stream().map(p -> p.ptx).collect(Collectors.toList());
            if (found == null) {
                problems.add(spec.module() + ".ptx has no .entry " + spec.name());
            } else if (!found.equals(declared)) {
                problems.add(spec.name() + ": PTX " + found + " but Java declares " + declared);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void everyEntryInThePtxIsDeclaredInJava() {
        Set<String> declared = Kernels.all().stream().map(KernelSpec::name).collect(Collectors.toSet());
        Set<String> undeclared = new TreeSet<>();
        for (String module : Kernels.modules()) {
            for (String name : entries(module).keySet()) {
                if (!declared.contains(name)) {
                    undeclared.add(module + ".ptx:" + name);
                }
            }
        }
        assertTrue(undeclared.isEmpty(), "entries no Java code launches: " + undeclared);
    }

    @Test
    void everyCudaSourceShipsAsPtxForComputeCapability75() throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.list(sources())) {
            sources = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(
                new TreeSet<>(sources),
                new TreeSet<>(Kernels.modules()),
                "every .cu is a module the backend uses, and every module has a .cu");
        for (String module : sources) {
            String ptx = KernelSources.cudaPtx(module);
            assertTrue(
                    ptx.contains("\n.target sm_75\n"), module + ".ptx must target sm_75 (built with -arch=compute_75)");
            assertTrue(ptx.contains("\n.address_size 64\n"), module + ".ptx must be 64-bit");
        }
    }

    /** The hash kernels/build-ptx.sh records: SHA-256 of name.cu followed by every .cuh in name order. */
    @Test
    void everyPtxWasBuiltFromTheCurrentSources() throws IOException, NoSuchAlgorithmException {
        List<Path> headers;
        try (Stream<Path> files = Files.list(sources())) {
            headers = files.filter(p -> p.getFileName().toString().endsWith(".cuh"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        for (String module : Kernels.modules()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(CUDA_SOURCES.resolve(module + ".cu")));
            for (Path header : headers) {
                sha.update(Files.readAllBytes(header));
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            String ptx = KernelSources.cudaPtx(module);
            assertTrue(
                    ptx.contains("// nabla-source-sha256: " + hash + "\n"),
                    module
                            + ".ptx is stale: it was not built from the current src/main/cuda sources; run kernels/build-ptx.sh"
                            + " --update on a machine with nvcc and commit the PTX");
        }
        assertTrue(
                headers.stream().allMatch(h -> h.getFileName().toString().matches("[\\w.]+")),
                StandardCharsets.UTF_8.name());
    }
}
