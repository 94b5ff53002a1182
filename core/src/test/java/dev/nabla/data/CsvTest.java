package dev.nabla.data;

import static dev.nabla.data.IdxTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("table.csv"), text);
    }

    @Test
    void loadsFeaturesAndIntegerLabelsSkippingTheHeader() throws IOException {
        Path file = csv("a,b,label\n1.5, 2 ,0\n\n-3e-1,4,2\r\n");
        Dataset data = Csv.load(file, true, 2);
        assertEquals(2, data.size());
        assertArrayEquals(new int[] {2}, data.featureShape());
        assertArrayEquals(new int[] {}, data.targetShape());
        assertArrayEquals(new float[] {1.5f, 2, -0.3f, 4}, data.features());
        assertArrayEquals(new float[] {0, 2}, data.targets());
    }

    @Test
    void theLabelColumnMayBeFirstOrCountedFromTheEnd() throws IOException {
        Path file = csv("1,10,20\n0,30,40\n");
        assertArrayEquals(new float[] {1, 0}, Csv.load(file, false, 0).targets());
        assertArrayEquals(new float[] {10, 20, 30, 40}, Csv.load(file, false, 0).features());
        assertArrayEquals(new float[] {20, 40}, Csv.load(file, false, -1).targets());
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> Csv.load(file, false, 3)),
                "label column 3",
                "[-3, 2]");
    }

    @Test
    void aMalformedNumberNamesItsLineAndColumn() throws IOException {
        Path file = csv("x,y,label\n1,2,0\n3,abc,1\n");
        IOException e = assertThrows(IOException.class, () -> Csv.load(file, true, -1));
        assertContains(e, file.toString(), "line 3, column 2", "'abc' is not a number");
        Path javaish = csv("1f,2,0\n");
        assertContains(assertThrows(IOException.class, () -> Csv.load(javaish, false, -1)), "'1f'");
        Path emptyField = csv("1,,0\n");
        assertContains(assertThrows(IOException.class, () -> Csv.load(emptyField, false, -1)), "line 1, column 2");
    }

    @Test
    void raggedRowsAreErrors() throws IOException {
        Path file = csv("1,2,0\n3,4\n");
        assertContains(
                assertThrows(IOException.class, () -> Csv.load(file, false, -1)),
                "line 2: 2 fields",
                "expected 3 like line 1");
    }

    @Test
    void nonIntegerLabelsPointToTheOtherLoaders() throws IOException {
        Path file = csv("1,2,0.5\n");
        assertContains(
                assertThrows(IOException.class, () -> Csv.load(file, false, -1)),
                "line 1, column 3",
                "'0.5' is not an integer",
                "loadRegression");
        Dataset regression = Csv.loadRegression(file, false, -1);
        assertArrayEquals(new int[] {1}, regression.targetShape());
        assertArrayEquals(new float[] {0.5f}, regression.targets());
    }

    @Test
    void textLabelsBecomeSortedClassIndices() throws IOException {
        Path file =
                csv("sepal,petal,species\n5.1,1.4,\"Iris-setosa\"\n7.0,4.7,Iris-versicolor\n6.3,6.0,Iris-virginica\n"
                        + "4.9,1.4,Iris-setosa\n");
        Csv.Labelled iris = Csv.loadNamedClasses(file, true, -1);
        assertEquals(List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica"), iris.classes());
        assertArrayEquals(new float[] {0, 1, 2, 0}, iris.data().targets());
        assertArrayEquals(
                new float[] {5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.4f},
                iris.data().features());
    }

    @Test
    void aFileWithoutDataRowsIsAnError() throws IOException {
        assertContains(assertThrows(IOException.class, () -> Csv.load(csv(""), false, 0)), "no data rows");
        assertContains(assertThrows(IOException.class, () -> Csv.load(csv("a,b\n\n"), true, 0)), "after the header");
        assertContains(
                assertThrows(IOException.class, () -> Csv.load(csv("1\n2\n"), false, 0)), "at least one feature");
    }
}
