package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Spark reaches no other module: no pom of the build but this module's names an Apache Spark
 * artifact or depends on nabla-spark (the BOM only manages its version), and this module takes Spark
 * as {@code provided}, so that neither the core library's users nor this module's users get Spark
 * classes from Nabla.
 */
class SparkStaysInItsModuleTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void noOtherModuleDependsOnSparkOrOnThisModule() throws IOException {
        Path root = root();
        String parent = Files.readString(root.resolve("pom.xml"));
        assertTrue(!parent.contains("org.apache.spark"), "the root pom names no Spark artifact");
        List<String> offenders = new ArrayList<>();
        Matcher m = MODULE.matcher(parent);
        int modules = 0;
        while (m.find()) {
            String module = m.group(1);
            modules++;
            if (module.equals("spark")) {
                continue;
            }
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            if (pom.contains("org.apache.spark")) {
                offenders.add(module + " names a Spark artifact");
            }
            if (pom.contains("<artifactId>nabla-spark</artifactId>") && !module.equals("bom")) {
                offenders.add(module + " depends on nabla-spark");
            }
        }
        assertTrue(modules > 5, "read the root pom's modules");
        assertEquals(List.of(), offenders);
    }

    @Test
    void thisModuleTakesSparkAsProvided() throws IOException {
        String pom = Files.readString(root().resolve("spark/pom.xml"));
        Matcher spark = Pattern.compile(
                        "<dependency>(?:(?!</dependency>).)*org\\.apache\\.spark(?:(?!</dependency>).)*</dependency>",
                        Pattern.DOTALL)
                .matcher(pom);
        int found = 0;
        while (spark.find()) {
            found++;
            assertTrue(spark.group().contains("<scope>provided</scope>"), "not provided: " + spark.group());
        }
        assertTrue(found >= 2, "spark-core and spark-sql");
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
