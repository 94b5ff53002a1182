package dev.nabla.samples.plot;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Whether this Java runtime can draw the samples' charts, and the one gate they are drawn through. Charts need
 * the {@code java.desktop} module (AWT, even headless); a jlink'ed runtime such as the GPU bundle's may leave it
 * out, and a sample must then finish its work (print its results, save its model) and say once that it skipped
 * its charts, not die at the first chart. This class names no AWT type, so it loads on such a runtime.
 */
public final class Drawing {
    private static final boolean AVAILABLE =
            ModuleLayer.boot().findModule("java.desktop").isPresent();
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private Drawing() {}

    /** Whether charts can be drawn here: the runtime has {@code java.desktop}. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Draws and saves charts, returning their files; without {@code java.desktop} returns none and prints, the first
     * time, one line saying why.
     *
     * <pre>{@code
     * Drawing.charts(() -> List.of(Charts.save(chart, output.file("loss.png")))).forEach(output::wrote);
     * }</pre>
     */
    public static List<Path> charts(Supplier<List<Path>> draw) {
        return charts(AVAILABLE, draw);
    }

    static List<Path> charts(boolean available, Supplier<List<Path>> draw) {
        if (available) {
            return draw.get();
        }
        if (!TOLD.getAndSet(true)) {
            System.err.println("charts skipped: this Java runtime has no java.desktop module (a jlink'ed runtime such "
                    + "as the GPU bundle's); everything else was done");
        }
        return List.of();
    }
}
