package dev.nabla.samples;

import java.io.File;
import java.nio.file.Path;

/** What a test needs to start another JVM like its own: the java command and the tests' class path. */
public final class TestJvm {
    private TestJvm() {}

    /** The {@code java} of the JDK running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The tests' class path (Surefire's when it runs them). */
    public static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return String.join(File.pathSeparator, path.split(File.pathSeparator));
    }
}
