package dev.nabla.opencl;

/**
 * An OpenCL program did not compile on the device. The message names the program, the device
 * and the build options, and carries the compiler's log.
 */
public class KernelBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String buildLog;

    public KernelBuildException(String message, String buildLog) {
        super(message + "\n--- compiler log ---\n" + buildLog);
        this.buildLog = buildLog;
    }

    /** The compiler's log as the driver returned it. */
    public String buildLog() {
        return buildLog;
    }
}
