package dev.nabla.cuda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Finds cuBLAS libraries the way the dynamic loader would, and in CUDA's usual install
 * directories. Pure lookups: it loads nothing. The host's state comes in through the constructor
 * so that tests can describe any host.
 */
final class CublasLocator {
    /** A library the user named explicitly, and where the name came from. */
    record Configured(Path path, String source) {}

    /**
     * A library found on disk.
     *
     * @param loaderFindsIt whether the dynamic loader resolves the SONAME alone (ldconfig cache
     *                      or LD_LIBRARY_PATH), so that a DT_NEEDED entry is met without help
     */
    record Found(Path path, boolean loaderFindsIt) {}

    private static final List<String> LIBRARY_SUBDIRECTORIES = List.of("lib64", "targets/x86_64-linux/lib", "lib");
    private static final List<Path> SYSTEM_DIRECTORIES =
            List.of(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"));
    private static final Path CUDA_PARENT = Path.of("/usr/local");

    private final Function<String, String> environment;
    private final Function<String, String> properties;
    private final List<String> ldconfigLines;
    private final Path cudaParent;
    private final List<Path> systemDirectories;

    /**
     * @param environment   environment variables by name (null when unset)
     * @param properties    system properties by name (null when unset)
     * @param ldconfigLines the output of {@code ldconfig -p}, empty when unavailable
     * @param cudaParent    the directory holding {@code cuda}, {@code cuda-12.6}, … (normally /usr/local)
     * @param systemDirectories library directories searched last (normally /usr/lib/x86_64-linux-gnu …)
     */
    CublasLocator(
            Function<String, String> environment,
            Function<String, String> properties,
            List<String> ldconfigLines,
            Path cudaParent,
            List<Path> systemDirectories) {
        this.environment = environment;
        this.properties = properties;
        this.ldconfigLines = List.copyOf(ldconfigLines);
        this.cudaParent = cudaParent;
        this.systemDirectories = List.copyOf(systemDirectories);
    }

    /** The locator of the running process: its environment, properties and ldconfig cache. */
    static CublasLocator forThisHost() {
        Map<String, String> env = System.getenv();
        return new CublasLocator(env::get, System::getProperty, readLdconfigCache(), CUDA_PARENT, SYSTEM_DIRECTORIES);
    }

    /** The library named by the system property, else by the environment variable. */
    Optional<Configured> configured() {
        String property = properties.apply(CublasCompat.LIBRARY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(new Configured(Path.of(property.trim()), "-D" + CublasCompat.LIBRARY_PROPERTY));
        }
        String variable = environment.apply(CublasCompat.LIBRARY_ENV);
        if (variable != null && !variable.isBlank()) {
            return Optional.of(new Configured(Path.of(variable.trim()), CublasCompat.LIBRARY_ENV));
        }
        return Optional.empty();
    }

    /**
     * Where a library of this SONAME is, searched as the loader does (ldconfig cache, then
     * LD_LIBRARY_PATH), then under CUDA_HOME, CUDA_PATH, /usr/local/cuda and
     * /usr/local/cuda-MAJOR*, then the system library directories.
     */
    Optional<Found> find(String soname) {
        for (String line : ldconfigLines) {
            Optional<Path> path = parseLdconfigLine(line, soname);
            if (path.isPresent()) {
                return Optional.of(new Found(path.get(), true));
            }
        }
        for (Path directory : split(environment.apply("LD_LIBRARY_PATH"))) {
            if (Files.exists(directory.resolve(soname))) {
                return Optional.of(new Found(directory.resolve(soname), true));
            }
        }
        for (Path directory : installDirectories(soname)) {
            if (Files.exists(directory.resolve(soname))) {
                return Optional.of(new Found(directory.resolve(soname), false));
            }
        }
        return Optional.empty();
    }

    /** Whether the file (after following links) is CUDA 12's cuBLAS, judged by its name. */
    static boolean isCublas12(Path library) {
        Path real;
        try {
            real = library.toRealPath();
        } catch (IOException e) {
            real = library;
        }
        Path name = real.getFileName();
        return name != null && name.toString().startsWith(CublasCompat.CUBLAS_12);
    }

    /**
     * The path of an {@code ldconfig -p} line for this SONAME on x86-64, e.g.
     * {@code "\tlibcublas.so.13 (libc6,x86-64) => /usr/local/cuda/lib64/libcublas.so.13"}.
     */
    static Optional<Path> parseLdconfigLine(String line, String soname) {
        String trimmed = line.trim();
        int arrow = trimmed.indexOf("=>");
        if (arrow < 0 || !trimmed.startsWith(soname + " ")) {
            return Optional.empty();
        }
        String flags = trimmed.substring(soname.length(), arrow);
        if (!flags.contains("x86-64")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(trimmed.substring(arrow + 2).trim()));
    }

    private List<Path> installDirectories(String soname) {
        List<Path> roots = new ArrayList<>();
        for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
            String value = environment.apply(variable);
            if (value != null && !value.isBlank()) {
                roots.add(Path.of(value.trim()));
            }
        }
        roots.add(cudaParent.resolve("cuda"));
        String major = soname.substring(soname.lastIndexOf('.') + 1);
        roots.add(cudaParent.resolve("cuda-" + major));
        if (Files.isDirectory(cudaParent)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(cudaParent, "cuda-" + major + ".*")) {
                List<Path> sorted = new ArrayList<>();
                versions.forEach(sorted::add);
                sorted.sort((a, b) ->
                        b.getFileName().toString().compareTo(a.getFileName().toString()));
                roots.addAll(sorted);
            } catch (IOException e) {
                // An unreadable /usr/local hides nothing the other roots would not show.
            }
        }
        List<Path> directories = new ArrayList<>();
        for (Path root : roots) {
            for (String sub : LIBRARY_SUBDIRECTORIES) {
                directories.add(root.resolve(sub));
            }
        }
        directories.addAll(systemDirectories);
        return directories;
    }

    private static List<Path> split(String searchPath) {
        List<Path> directories = new ArrayList<>();
        if (searchPath != null) {
            for (String entry : searchPath.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        return directories;
    }

    private static List<String> readLdconfigCache() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "/bin/ldconfig", "/usr/bin/ldconfig")) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            try {
                Process process = new ProcessBuilder(ldconfig, "-p")
                        .redirectErrorStream(true)
                        .start();
                List<String> lines = new ArrayList<>();
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                }
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                return lines;
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
