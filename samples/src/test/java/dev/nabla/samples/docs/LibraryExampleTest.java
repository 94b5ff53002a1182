package dev.nabla.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Use Nabla in your project" and samples/library-example/ say the same thing: its XML
 * blocks are in the example's pom.xml as they are (indentation aside), its Java block is the
 * example's main class, and the versions it names are the ones this build uses, so that the example's
 * build (maven-invoker-plugin in samples/pom.xml) finds every plugin in the local repository the
 * reactor filled.
 */
class LibraryExampleTest {
    private static final String SECTION = "Use Nabla in your project";
    private final Path root = Markdown.root();
    private final Path example = root.resolve("samples/library-example");

    private List<Markdown.Block> section() {
        List<Markdown.Block> blocks = Markdown.blocks(root, Path.of("README.md")).stream()
                .filter(b -> b.section().equals(SECTION))
                .toList();
        assertTrue(blocks.size() >= 3, "README.md has a section \"" + SECTION + "\" with its blocks: " + blocks);
        return blocks;
    }

    @Test
    void theReadmesXmlBlocksAreInTheExamplesPom() throws IOException {
        String pom = normalized(Files.readString(example.resolve("pom.xml"), StandardCharsets.UTF_8));
        List<Markdown.Block> xml =
                section().stream().filter(b -> b.language().equals("xml")).toList();
        assertTrue(xml.size() >= 2, "the dependency block and the build block");
        for (Markdown.Block block : xml) {
            assertTrue(
                    pom.contains(normalized(block.text())),
                    "README.md:" + block.line() + ": this block is not in samples/library-example/pom.xml as it is:\n"
                            + block.text());
        }
        assertTrue(
                xml.get(0).text().contains("<artifactId>nabla-bom</artifactId>")
                        && xml.get(0).text().contains("<scope>import</scope>"),
                "the first block imports the BOM");
    }

    @Test
    void theReadmesExampleIsTheExamplesMainClass() throws IOException {
        List<Markdown.Block> java =
                section().stream().filter(b -> b.language().equals("java")).toList();
        assertEquals(1, java.size(), "one complete example");
        Markdown.Block block = java.get(0);
        Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(block.text());
        Matcher cls = Pattern.compile("(?m)^public (?:final )?class (\\w+)").matcher(block.text());
        assertTrue(pkg.find() && cls.find(), "README.md:" + block.line() + ": a package and a public class");
        Path source = example.resolve("src/main/java")
                .resolve(pkg.group(1).replace('.', '/'))
                .resolve(cls.group(1) + ".java");
        assertTrue(Files.isRegularFile(source), "README.md:" + block.line() + ": no " + root.relativize(source));
        assertEquals(
                Files.readString(source, StandardCharsets.UTF_8),
                block.text(),
                "README.md:" + block.line() + " differs from " + root.relativize(source));
        String pom = Files.readString(example.resolve("pom.xml"), StandardCharsets.UTF_8);
        assertTrue(
                pom.contains("<argument>" + pkg.group(1) + "." + cls.group(1) + "</argument>"),
                "the example's exec plugin runs " + pkg.group(1) + "." + cls.group(1));
    }

    @Test
    void theVersionsItNamesAreTheBuildsOwn() throws IOException {
        Pom parent = Pom.read(root.resolve("pom.xml"));
        String readme = section().stream().map(Markdown.Block::text).collect(Collectors.joining());
        String pom = Files.readString(example.resolve("pom.xml"), StandardCharsets.UTF_8);
        for (String text : List.of(readme, pom)) {
            assertEquals(parent.version(), versionOf(text, "nabla-bom"), "the BOM's version is the project's");
            assertEquals(parent.property("slf4j.version"), versionOf(text, "slf4j-simple"));
            assertEquals(parent.property("compiler.version"), versionOf(text, "maven-compiler-plugin"));
            assertEquals(parent.property("resources.version"), versionOf(text, "maven-resources-plugin"));
            assertEquals(parent.property("exec.version"), versionOf(text, "exec-maven-plugin"));
            assertTrue(text.contains("<release>" + parent.property("maven.compiler.release") + "</release>"));
        }
    }

    /** The version right after {@code <artifactId>artifact</artifactId>}. */
    private static String versionOf(String xml, String artifact) {
        Matcher m = Pattern.compile(
                        "<artifactId>" + Pattern.quote(artifact) + "</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(xml);
        assertTrue(m.find(), "no version next to " + artifact);
        return m.group(1);
    }

    /** The lines without their indentation (the README's blocks sit at the left margin). */
    private static String normalized(String xml) {
        return xml.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
