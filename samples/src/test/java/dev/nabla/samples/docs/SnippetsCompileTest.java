package dev.nabla.samples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.samples.TestJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md, docs/ and the samples' READMEs compiles against the real API
 * (this module's test class path, which holds every module). The convention, for writers:
 *
 * <ul>
 *   <li>A block that declares a type at the start of a line ({@code class}, {@code public final class},
 *       {@code record} ...) or a package is a compilation unit and compiles as it is.
 *   <li>Any other block is a fragment: its leading {@code import} lines stay imports, the rest becomes the
 *       body of a method that may throw anything, in an abstract class that imports every package of
 *       the library ({@link #IMPORTS}) and {@code java.util}, {@code java.util.function}, {@code java.nio.file}
 *       and {@code java.io}.
 *   <li>A fragment's free variables and helpers are declared in an HTML comment right above the fence,
 *       {@code <!-- given: Dataset train; int epochs; abstract Sequential buildModel(); -->}: its text
 *       becomes members of that class (fields, abstract methods). Markdown renders nothing of it.
 *   <li>Code that is not meant to compile is not Java: give its fence another language, or none.
 * </ul>
 *
 * Each block compiles in a package of its own; a failure names the Markdown file and line.
 */
class SnippetsCompileTest {
    /** The packages a fragment sees without imports: every public package of nabla-core. */
    static final List<String> IMPORTS = List.of(
            "dev.nabla.tensor",
            "dev.nabla.autograd",
            "dev.nabla.backend",
            "dev.nabla.nn",
            "dev.nabla.nn.initializers",
            "dev.nabla.nn.regularizers",
            "dev.nabla.activations",
            "dev.nabla.losses",
            "dev.nabla.optim",
            "dev.nabla.metrics",
            "dev.nabla.callbacks",
            "dev.nabla.data",
            "dev.nabla.io",
            "java.util",
            "java.util.function",
            "java.nio.file",
            "java.io");

    private static final Pattern UNIT =
            Pattern.compile("(?m)^(package\\s|((public|protected|private|abstract|final|sealed|non-sealed|static)\\s+)*"
                    + "(class|interface|enum|record|@interface)\\s)");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");

    /** One generated source file and, for each of its lines, the Markdown line it came from (null: generated). */
    private record Source(Markdown.Block block, String name, String text, List<String> origin) {}

    @Test
    void everyJavaSnippetCompiles(@TempDir Path out) throws IOException {
        Path root = Markdown.root();
        List<Source> sources = new ArrayList<>();
        List<Path> files = Markdown.documents(root);
        for (Path file : files) {
            for (Markdown.Block block : Markdown.blocks(root, file)) {
                if (block.language().equals("java")) {
                    sources.add(source(block, sources.size() + 1));
                }
            }
        }
        assertTrue(sources.size() > 0, "no ```java block in " + files);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (Source s : sources) {
            units.add(
                    new SimpleJavaFileObject(
                            URI.create("string:///" + s.name().replace('.', '/') + ".java"),
                            JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return s.text();
                        }
                    });
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of(
                    "--release",
                    "17",
                    "-proc:none",
                    "-implicit:none",
                    "-d",
                    out.toString(),
                    "-classpath",
                    TestJvm.classPath());
            javac.getTask(null, fm, diagnostics, options, null, units).call();
        }

        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Source s = sources.stream()
                    .filter(x -> d.getSource() != null
                            && d.getSource()
                                    .toUri()
                                    .getPath()
                                    .equals("/" + x.name().replace('.', '/') + ".java"))
                    .findFirst()
                    .orElse(null);
            if (s == null) {
                errors.add(d.getMessage(Locale.ROOT));
                continue;
            }
            int line = (int) d.getLineNumber();
            String where = line >= 1 && line <= s.origin().size() && s.origin().get(line - 1) != null
                    ? s.origin().get(line - 1)
                    : s.block().file() + ":" + s.block().line() + " (the wrapper of this snippet)";
            String code = line >= 1 && line <= s.text().lines().count()
                    ? s.text()
                            .lines()
                            .skip(line - 1)
                            .findFirst()
                            .orElse("")
                            .replaceFirst("^package snippet\\d+; ", "")
                            .trim()
                    : "";
            errors.add(where + ": " + d.getMessage(Locale.ROOT) + (code.isEmpty() ? "" : "\n    " + code));
        }
        System.out.printf(
                Locale.ROOT,
                "[snippets] %d Java snippets from %d Markdown files compiled, %d errors%n",
                sources.size(),
                files.size(),
                errors.size());
        if (!errors.isEmpty()) {
            fail(errors.size() + " compile errors in the documentation's Java snippets:\n" + String.join("\n", errors));
        }
    }

    /** The compilation unit of one block, in package {@code snippetN}. */
    static Source source(Markdown.Block block, int n) {
        String pkg = "snippet" + n;
        List<String> text = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        List<String> lines = block.lines();
        if (UNIT.matcher(block.text()).find()) {
            String name = lines.stream()
                    .map(l -> l.replaceFirst(
                            "^public\\s+((abstract|final)\\s+)*(class|interface|enum|record)\\s+(\\w+).*$", "#$4"))
                    .filter(l -> l.startsWith("#"))
                    .map(l -> l.substring(1))
                    .findFirst()
                    .orElse("Snippet");
            boolean hasPackage = lines.stream().anyMatch(l -> l.startsWith("package "));
            for (int i = 0; i < lines.size(); i++) {
                // the package on the first line, so that lines keep their numbers
                text.add(i == 0 && !hasPackage ? "package " + pkg + "; " + lines.get(i) : lines.get(i));
                origin.add(block.where(i));
            }
            String declared = lines.stream()
                    .filter(l -> l.startsWith("package "))
                    .findFirst()
                    .map(l -> l.replaceAll("package\\s+|\\s*;.*", "") + ".")
                    .orElse(pkg + ".");
            return new Source(block, declared + name, String.join("\n", text) + "\n", origin);
        }
        StringBuilder header = new StringBuilder("package " + pkg + ";");
        IMPORTS.forEach(p -> header.append(" import ").append(p).append(".*;"));
        text.add(header.toString());
        origin.add(null);
        int i = 0;
        while (i < lines.size()
                && (lines.get(i).isBlank() || IMPORT.matcher(lines.get(i)).matches())) {
            text.add(lines.get(i));
            origin.add(block.where(i));
            i++;
        }
        text.add("abstract class Snippet {");
        origin.add(null);
        if (block.given() != null) {
            String[] given = block.given().split("\n");
            for (int g = 0; g < given.length; g++) {
                text.add(given[g]);
                origin.add(block.file() + ":" + (block.givenLine() + g) + " (given:)");
            }
        }
        text.add("void snippet() throws Exception {");
        origin.add(null);
        for (; i < lines.size(); i++) {
            text.add(lines.get(i));
            origin.add(block.where(i));
        }
        text.add("}}");
        origin.add(null);
        return new Source(block, pkg + ".Snippet", String.join("\n", text) + "\n", origin);
    }
}
