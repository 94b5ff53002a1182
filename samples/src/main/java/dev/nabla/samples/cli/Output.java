package dev.nabla.samples.cli;

import dev.nabla.io.FileErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder a sample writes into ({@code --out}) and the list of what it wrote, printed at the end so
 * that the paths can be copied from the console.
 *
 * <pre>{@code
 * Path csv = output.file("history.csv");     // creates the folder
 * Files.writeString(csv, text);
 * output.wrote(csv);                          // listed under "wrote:" at the end
 * }</pre>
 */
public final class Output {
    private Path dir;
    private final List<Path> written = new ArrayList<>();

    public Output(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes into {@code folder} instead, for a sample that decides its folder itself (a new run folder).
     *
     * @throws IllegalStateException once something has been written
     */
    public void useFolder(Path folder) {
        if (!written.isEmpty()) {
            throw new IllegalStateException("already wrote " + written + " into " + dir);
        }
        dir = folder;
    }

    /** The folder (it may not exist yet). */
    public Path dir() {
        return dir;
    }

    /** The path of {@code name} in the folder, creating the folder. */
    public Path file(String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + dir + ": " + FileErrors.reason(e), e);
        }
        return dir.resolve(name);
    }

    /** Records that {@code path} was written (once, however often it is rewritten); returns it. */
    public Path wrote(Path path) {
        if (!written.contains(path)) {
            written.add(path);
        }
        return path;
    }

    /** Everything written so far, in order. */
    public List<Path> written() {
        return List.copyOf(written);
    }

    /** Prints the "wrote:" list (nothing when nothing was written). */
    public void printSummary(PrintStream out) {
        if (written.isEmpty()) {
            return;
        }
        out.println("wrote:");
        for (Path p : written) {
            out.println("  " + p);
        }
    }
}
