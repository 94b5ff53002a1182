package dev.nabla.opencl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * OpenCL discovery in a short-lived child JVM, for automatic backend choice. Loading an OpenCL driver
 * can harm the process that loads it: PoCL's LLVM replaces the JVM's SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGQUIT, SIGINT and SIGTERM handlers with its own, so a later safepoint poll or implicit null check
 * kills the JVM (about one run in a hundred), a thread dump request kills it, and Ctrl-C skips the
 * shutdown hooks. A JVM that only wants to know whether to pick OpenCL therefore asks a child, which
 * discovers, prints what it found and exits; the driver is loaded into this process only when the
 * backend is used. On a machine where no OpenCL driver is registered no child is started at all.
 *
 * <p>The child costs about 0.3 s on a 2-core machine with PoCL. It runs this class's {@link #main}
 * with the class path of the OpenCL backend and JOCL, and writes one line per device, problem or
 * reason, fields separated by tabs, then {@code end}.
 */
final class ClProbe {
    private static final String HEADER = "nabla-opencl-probe 1";
    private static final String END = "end";
    private static volatile ClDiscovery.Result result;

    private ClProbe() {}

    /** The child's discovery, run once per JVM. */
    static ClDiscovery.Result result() {
        ClDiscovery.Result r = result;
        if (r == null) {
            synchronized (ClProbe.class) {
                if (result == null) {
                    result = run();
                }
                r = result;
            }
        }
        return r;
    }

    /** Runs the child (a second time if the first one died) unless no driver is registered. */
    static ClDiscovery.Result run() {
        String none = noRegisteredDriver(
                System.getenv("OCL_ICD_VENDORS"),
                System.getenv("OCL_ICD_FILENAMES"),
                System.getProperty("os.name", ""));
        if (none != null) {
            return ClDiscovery.failed(none);
        }
        String failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Outcome outcome = runChild();
                if (outcome.result() != null) {
                    return outcome.result();
                }
                failure = outcome.failure();
            } catch (IOException e) {
                return ClDiscovery.failed("cannot start the OpenCL probe (a child JVM): " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ClDiscovery.failed("the OpenCL probe was interrupted");
            }
        }
        return ClDiscovery.failed(failure);
    }

    /**
     * Why no OpenCL driver can be found without loading anything, or null when one may be: the ICD
     * loader reads the {@code .icd} files in {@code /etc/OpenCL/vendors} (or {@code OCL_ICD_VENDORS})
     * and the libraries named in {@code OCL_ICD_FILENAMES}. Other systems are always probed.
     */
    static String noRegisteredDriver(String vendorsSetting, String filenames, String osName) {
        if (!osName.equals("Linux") || (filenames != null && !filenames.isBlank())) {
            return null;
        }
        Path vendors =
                Path.of(vendorsSetting != null && !vendorsSetting.isBlank() ? vendorsSetting : "/etc/OpenCL/vendors");
        if (Files.isRegularFile(vendors)) {
            return null;
        }
        if (Files.isDirectory(vendors)) {
            try (DirectoryStream<Path> icds = Files.newDirectoryStream(vendors, "*.icd")) {
                if (icds.iterator().hasNext()) {
                    return null;
                }
            } catch (IOException | RuntimeException e) {
                return null; // let the child find out
            }
        }
        return "no OpenCL driver is registered (no .icd file in " + vendors + "; install one, e.g. pocl-opencl-icd, "
                + "or a GPU vendor's OpenCL driver)";
    }

    private record Outcome(ClDiscovery.Result result, String failure) {}

    private static Outcome runChild() throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:+PerfDisableSharedMem",
                "-Xmx64m",
                "-Djava.awt.headless=true",
                "-cp",
                classPath(),
                ClProbe.class.getName());
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        child.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread reader = new Thread(
                () -> {
                    try (InputStream in = child.getInputStream()) {
                        output[0] = in.readAllBytes();
                    } catch (IOException e) {
                        output[0] = new byte[0];
                    }
                },
                "nabla-opencl-probe-reader");
        reader.setDaemon(true);
        reader.start();
        if (!child.waitFor(ClDiscovery.TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            return new Outcome(
                    null,
                    "the OpenCL probe did not finish within " + ClDiscovery.TIME_LIMIT_SECONDS
                            + " s (a driver is stuck)");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String text = output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8);
        ClDiscovery.Result parsed = child.exitValue() == 0 ? parse(text) : null;
        if (parsed != null) {
            return new Outcome(parsed, null);
        }
        return new Outcome(null, "the OpenCL probe (a child JVM) exited with status " + child.exitValue() + tail(text));
    }

    /** The code sources of this backend and of JOCL: all the child needs, whatever loaded them here. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : new Class<?>[] {ClProbe.class, org.jocl.CL.class}) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            try {
                if (source == null || source.getLocation() == null) {
                    return System.getProperty("java.class.path");
                }
                entries.add(Path.of(source.getLocation().toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return System.getProperty("java.class.path");
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": "
                + (trimmed.length() > 300 ? "…" + trimmed.substring(trimmed.length() - 300) : trimmed)
                        .replace('\n', ' ');
    }

    /** The child: discovers in this process, prints the result and exits without running the driver's exit code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.print(format(ClDiscovery.result()));
        out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** The result as the child prints it. */
    static String format(ClDiscovery.Result found) {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (ClDeviceInfo d : found.devices()) {
            line(
                    s,
                    "device",
                    Integer.toString(d.platformIndex()),
                    d.platformName(),
                    d.name(),
                    d.type(),
                    Integer.toString(d.computeUnits()),
                    Integer.toString(d.versionMajor()),
                    Integer.toString(d.versionMinor()),
                    d.version(),
                    Boolean.toString(d.fp64()),
                    Long.toString(d.globalMemBytes()),
                    Long.toString(d.maxAllocBytes()),
                    Long.toString(d.maxWorkGroup()),
                    Long.toString(d.localMemBytes()));
        }
        found.problems().forEach(p -> line(s, "problem", p));
        if (found.reason() != null) {
            line(s, "reason", found.reason());
        }
        return s.append(END).append('\n').toString();
    }

    /**
     * The result the child printed (devices without handles: enough to choose, not to use), or null when
     * the text is not a whole answer.
     */
    static ClDiscovery.Result parse(String text) {
        List<ClDeviceInfo> devices = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String reason = null;
        boolean started = false;
        for (String line : text.split("\n")) {
            if (line.equals(HEADER)) {
                started = true;
                continue;
            }
            if (!started) {
                continue; // anything a driver printed first
            }
            if (line.equals(END)) {
                return new ClDiscovery.Result(List.copyOf(devices), List.copyOf(problems), reason);
            }
            String[] f = line.split("\t", -1);
            for (int i = 0; i < f.length; i++) {
                f[i] = unescape(f[i]);
            }
            try {
                switch (f[0]) {
                    case "device" ->
                        devices.add(new ClDeviceInfo(
                                Integer.parseInt(f[1]),
                                f[2],
                                null,
                                null,
                                f[3],
                                f[4],
                                Integer.parseInt(f[5]),
                                Integer.parseInt(f[6]),
                                Integer.parseInt(f[7]),
                                f[8],
                                Boolean.parseBoolean(f[9]),
                                Long.parseLong(f[10]),
                                Long.parseLong(f[11]),
                                Long.parseLong(f[12]),
                                Long.parseLong(f[13])));
                    case "problem" -> problems.add(f[1]);
                    case "reason" -> reason = f[1];
                    default -> {
                        // a driver's own output between our lines
                    }
                }
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static void line(StringBuilder s, String kind, String... fields) {
        s.append(kind);
        for (String field : fields) {
            s.append('\t').append(escape(field));
        }
        s.append('\n');
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r");
    }

    private static String unescape(String field) {
        StringBuilder s = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char n = field.charAt(++i);
                s.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
