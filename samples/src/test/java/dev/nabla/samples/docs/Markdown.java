package dev.nabla.samples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The fenced code blocks of the project's Markdown files, with where each one is. */
final class Markdown {
    private static final Pattern FENCE = Pattern.compile("^( *)```\\s*([\\w+-]*)\\s*$");
    private static final Pattern GIVEN = Pattern.compile("<!--\\s*given:(.*?)-->", Pattern.DOTALL);

    /**
     * One fenced block.
     *
     * @param file the Markdown file, relative to the repository root
     * @param line the 1-based line of the opening fence
     * @param language the fence's info string ("java", "xml", "" ...)
     * @param section the heading of the section the block is in ("" before the first heading)
     * @param lines the block's lines, without the fence's indentation
     * @param given the text of a {@code <!-- given: ... -->} comment right above the fence, or null
     * @param givenLine the 1-based line where that comment starts
     */
    record Block(
            Path file, int line, String language, String section, List<String> lines, String given, int givenLine) {
        String text() {
            return String.join("\n", lines) + "\n";
        }

        /** "README.md:29", where the block's {@code i}-th line (0-based) is. */
        String where(int i) {
            return file + ":" + (line + 1 + i);
        }
    }

    private Markdown() {}

    /** The repository root: the folder above samples/ (Surefire runs the samples' tests in samples/). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md"))
                    && Files.isDirectory(p.resolve("samples"))
                    && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + here);
    }

    /** README.md, docs/**.md and every README.md under samples/, relative to the root, in a stable order. */
    static List<Path> documents(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"));
                Stream<Path> samples = Files.walk(root.resolve("samples"))) {
            docs.filter(p -> p.toString().endsWith(".md"))
                    .map(root::relativize)
                    .sorted()
                    .forEach(files::add);
            samples.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .map(root::relativize)
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every fenced block of one file. */
    static List<Block> blocks(Path root, Path file) {
        List<String> all;
        try {
            all = Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        String section = "";
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i);
            if (line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "").trim();
                continue;
            }
            Matcher open = FENCE.matcher(line);
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < all.size() && !all.get(i).trim().equals("```"); i++) {
                String content = all.get(i);
                int strip = 0;
                while (strip < indent && strip < content.length() && content.charAt(strip) == ' ') {
                    strip++;
                }
                body.add(content.substring(strip));
            }
            if (i == all.size()) {
                throw new IllegalStateException(file + ":" + (start + 1) + ": the fence is never closed");
            }
            String given = null;
            int givenLine = 0;
            if (start > 0 && all.get(start - 1).trim().endsWith("-->")) {
                int from = start - 1;
                while (from > 0 && !all.get(from).contains("<!--")) {
                    from--;
                }
                Matcher m = GIVEN.matcher(String.join("\n", all.subList(from, start)));
                if (m.find()) {
                    given = m.group(1).trim();
                    givenLine = from + 1;
                }
            }
            blocks.add(new Block(file, start + 1, open.group(2), section, body, given, givenLine));
        }
        return blocks;
    }
}
