package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where cuBLAS is looked for, on hosts described by a temporary directory tree. */
class CublasLocatorTest {
    @TempDir
    Path root;

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();

    private CublasLocator locator(List<String> ldconfig) {
        return new CublasLocator(
                env::get,
                properties::get,
                ldconfig,
                root.resolve("usr/local"),
                List.of(root.resolve("usr/lib/x86_64-linux-gnu")));
    }

    private Path library(String relative) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[] {0x7f, 'E', 'L', 'F'});
    }

    @Test
    void readsTheX8664EntryOfTheLdconfigCache() {
        String line = "\tlibcublas.so.13 (libc6,x86-64) => /usr/local/cuda/targets/x86_64-linux/lib/libcublas.so.13";
        assertEquals(
                Optional.of(Path.of("/usr/local/cuda/targets/x86_64-linux/lib/libcublas.so.13")),
                CublasLocator.parseLdconfigLine(line, "libcublas.so.13"));
        assertEquals(Optional.empty(), CublasLocator.parseLdconfigLine(line, "libcublas.so.12"));
        assertEquals(
                Optional.empty(),
                CublasLocator.parseLdconfigLine(
                        "\tlibcublas.so.13 (libc6) => /usr/lib32/libcublas.so.13", "libcublas.so.13"));
        assertEquals(
                Optional.empty(),
                CublasLocator.parseLdconfigLine(
                        "\tlibcublasLt.so.13 (libc6,x86-64) => /x/libcublasLt.so.13", "libcublas.so.13"));
    }

    @Test
    void aLibraryInTheLdconfigCacheIsOneTheLoaderFindsAlone() {
        CublasLocator locator = locator(List.of(
                "1234 libs found in cache `/etc/ld.so.cache'",
                "\tlibcublas.so.12 (libc6,x86-64) => /opt/cuda12/libcublas.so.12"));
        assertEquals(
                Optional.of(new CublasLocator.Found(Path.of("/opt/cuda12/libcublas.so.12"), true)),
                locator.find("libcublas.so.12"));
        assertEquals(Optional.empty(), locator.find("libcublas.so.13"));
    }

    @Test
    void aLibraryOnLdLibraryPathIsOneTheLoaderFindsAlone() throws IOException {
        Path cublas = library("opt/a/libcublas.so.13");
        env.put("LD_LIBRARY_PATH", root.resolve("nowhere") + "::" + cublas.getParent());
        assertEquals(
                Optional.of(new CublasLocator.Found(cublas, true)),
                locator(List.of()).find("libcublas.so.13"));
    }

    @Test
    void aLibraryInACudaInstallMustBeLoadedByNabla() throws IOException {
        Path cublas13 = library("usr/local/cuda-13.0/targets/x86_64-linux/lib/libcublas.so.13");
        Path cublas12 = library("opt/cuda/lib64/libcublas.so.12");
        env.put("CUDA_HOME", root.resolve("opt/cuda").toString());
        assertEquals(
                Optional.of(new CublasLocator.Found(cublas13, false)),
                locator(List.of()).find("libcublas.so.13"));
        assertEquals(
                Optional.of(new CublasLocator.Found(cublas12, false)),
                locator(List.of()).find("libcublas.so.12"));
    }

    @Test
    void aCudaInstallOfTheOtherMajorVersionIsNotSearched() throws IOException {
        library("usr/local/cuda-12.6/lib64/libcublas.so.13");
        assertEquals(Optional.empty(), locator(List.of()).find("libcublas.so.13"));
    }

    @Test
    void theSystemLibraryDirectoryIsSearchedLast() throws IOException {
        Path system = library("usr/lib/x86_64-linux-gnu/libcublas.so.12");
        assertEquals(
                Optional.of(new CublasLocator.Found(system, false)),
                locator(List.of()).find("libcublas.so.12"));
        Path cuda = library("usr/local/cuda/lib64/libcublas.so.12");
        assertEquals(
                Optional.of(new CublasLocator.Found(cuda, false)),
                locator(List.of()).find("libcublas.so.12"));
    }

    @Test
    void theSystemPropertyNamesTheLibraryBeforeTheEnvironmentVariable() {
        assertEquals(Optional.empty(), locator(List.of()).configured());
        env.put(CublasCompat.LIBRARY_ENV, "/env/libcublas.so.13");
        assertEquals(
                Optional.of(new CublasLocator.Configured(Path.of("/env/libcublas.so.13"), "NABLA_CUBLAS_LIBRARY")),
                locator(List.of()).configured());
        properties.put(CublasCompat.LIBRARY_PROPERTY, " /prop/libcublas.so.13 ");
        assertEquals(
                Path.of("/prop/libcublas.so.13"),
                locator(List.of()).configured().orElseThrow().path());
        properties.put(CublasCompat.LIBRARY_PROPERTY, "  ");
        assertEquals(
                Path.of("/env/libcublas.so.13"),
                locator(List.of()).configured().orElseThrow().path());
    }

    @Test
    void cuda12IsRecognizedByTheNameOfTheFileALinkLeadsTo() throws IOException {
        Path real12 = library("lib/libcublas.so.12.6.4.1");
        Path real13 = library("lib/libcublas.so.13.1.0.3");
        Path link = Files.createSymbolicLink(root.resolve("lib/libcublas.so"), real12.getFileName());
        assertTrue(CublasLocator.isCublas12(link));
        assertTrue(CublasLocator.isCublas12(real12));
        assertFalse(CublasLocator.isCublas12(real13));
        assertFalse(CublasLocator.isCublas12(root.resolve("missing/libcublas.so")));
    }
}
