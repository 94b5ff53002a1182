package dev.nabla.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether this JVM chains signal handlers (the JDK's {@code libjsig} is preloaded). A native driver
 * loaded into the JVM may install its own handlers for signals the JVM uses: PoCL's LLVM replaces
 * those of SIGSEGV and SIGBUS (safepoint polls, implicit null checks), SIGQUIT (thread dumps), SIGINT
 * and SIGTERM (shutdown hooks), and the JVM then dies at random, on a thread dump request, or on
 * Ctrl-C without running its hooks. With {@code libjsig} preloaded the JVM keeps its handlers and
 * passes the signals it does not use on to the driver's. Nabla's launchers preload it; a library user
 * who runs the OpenCL backend starts the JVM like this:
 *
 * <pre>LD_PRELOAD=$JAVA_HOME/lib/libjsig.so java …</pre>
 */
public final class SignalChaining {
    private SignalChaining() {}

    /** Whether {@code libjsig} is loaded into this process; true where this cannot be told (not Linux). */
    public static boolean active() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return true;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.anyMatch(line -> line.endsWith("/libjsig.so"));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** How to turn it on, for a log line. */
    public static String advice() {
        return "start the JVM with LD_PRELOAD=" + Path.of(System.getProperty("java.home"), "lib", "libjsig.so")
                + " (Nabla's launchers do) so that the driver cannot replace the JVM's signal handlers";
    }
}
