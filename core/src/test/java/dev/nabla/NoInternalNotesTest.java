package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No file of the repository points its reader at the project's internal notes (the design brief and
 * the worked-example list it was built from), which users of the repository do not have: code, tests
 * and docs say what they mean themselves. Scans every file git tracks (every file under the root but
 * {@code .git} and {@code target} folders where git is not available, as in a source archive).
 */
class NoInternalNotesTest {
    /** The notes' file names, spelt in two parts so that this file does not mention them. */
    private static final List<String> NOTES = List.of("DESIGN" + ".md", "FIELD" + ".md");

    @Test
    void noTrackedFileMentionsTheInternalNotes() throws IOException, InterruptedException {
        Path root = root();
        List<String> files = trackedFiles(root);
        assertTrue(files.size() > 100, "found the repository's files under " + root + ": " + files.size());
        List<String> mentions = new ArrayList<>();
        for (String file : files) {
            Path path = root.resolve(file);
            if (!Files.isRegularFile(path)) {
                continue; // deleted in the work tree, or a submodule
            }
            String text =
                    new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1); // bytes as chars: any encoding
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String note : NOTES) {
                    if (lines[i].contains(note)) {
                        mentions.add(file + ":" + (i + 1) + ": " + note);
                    }
                }
            }
        }
        assertEquals(
                List.of(),
                mentions,
                "files that send the reader to internal notes the repository does not hold; "
                        + "say what the note said instead");
    }

    /** The repository's root: the nearest folder above the working directory that holds {@code mvnw}. */
    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("core"))) {
                return dir;
            }
        }
        throw new AssertionError("no repository root (a folder with mvnw and core/) above "
                + Path.of("").toAbsolutePath());
    }

    /** git's list of tracked files, or every file but those in .git and target folders when git cannot say. */
    private static List<String> trackedFiles(Path root) throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0 && out.length > 0) {
                return List.of(new String(out, StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException e) {
            // no git on the PATH: walk the tree instead
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !(p + "/").matches("(.*/)?(\\.git|target)/.*"))
                    .sorted()
                    .toList();
        }
    }
}
