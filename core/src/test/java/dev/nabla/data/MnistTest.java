package dev.nabla.data;

import static dev.nabla.data.IdxTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    /** Two 2×3 images, pixels 0, 51, 255 …, labels 7 and 3. */
    static IdxArray images() {
        return IdxArray.of(
                IdxType.UBYTE, new int[] {2, 2, 3}, new double[] {0, 51, 255, 0, 0, 0, 255, 255, 255, 102, 0, 1});
    }

    static IdxArray labels(double... values) {
        return IdxArray.of(IdxType.UBYTE, new int[] {values.length}, values);
    }

    @Test
    void imagesAreScaledToUnitRangeAndKeepTheirShape() throws IOException {
        Path images = dir.resolve("i-idx3-ubyte.gz");
        Path labels = dir.resolve("l-idx1-ubyte");
        Idx.write(images, images());
        Idx.write(labels, labels(7, 3));

        Dataset data = Mnist.load(images, labels);

        assertEquals(2, data.size());
        assertArrayEquals(new int[] {2, 3}, data.featureShape());
        assertArrayEquals(new int[] {}, data.targetShape());
        assertArrayEquals(new float[] {0, 0.2f, 1, 0, 0, 0, 1, 1, 1, 0.4f, 0, 1 / 255f}, data.features());
        assertArrayEquals(new float[] {7, 3}, data.targets());
    }

    @Test
    void aLabelFileThatDoesNotMatchItsImagesIsAnError() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Idx.write(images, images());
        Idx.write(labels, labels(7, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(images, labels));
        assertContains(e, labels.toString(), "3 labels", images.toString(), "2 images");
    }

    @Test
    void filesOfTheWrongTypeOrRankAreErrors() throws IOException {
        Path floats = dir.resolve("floats");
        Idx.write(floats, IdxArray.of(IdxType.FLOAT, new int[] {2, 2, 3}, new double[12]));
        Path flat = dir.resolve("flat");
        Idx.write(flat, IdxArray.of(IdxType.UBYTE, new int[] {2, 6}, new double[12]));
        Path labels = dir.resolve("labels");
        Idx.write(labels, labels(1, 2));
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> Mnist.load(floats, labels)),
                floats.toString(),
                "float",
                "expected ubyte images of rank 3");
        assertContains(assertThrows(IllegalArgumentException.class, () -> Mnist.load(flat, labels)), "[2, 6]");
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> Mnist.load(flat, flat)),
                "expected ubyte images of rank 3");
        Path images = dir.resolve("images");
        Idx.write(images, images());
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> Mnist.load(images, images)),
                "expected ubyte labels of rank 1");
    }

    @Test
    void aFolderOfStandardNamesLoadsAsTrainAndTest() throws IOException {
        Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), images());
        Idx.write(dir.resolve("train-labels-idx1-ubyte.gz"), labels(7, 3));
        Idx.write(dir.resolve("t10k-images.idx3-ubyte"), images()); // a mirror's spelling, not gzipped
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(0, 9));

        TrainTest set = Mnist.load(dir);

        assertArrayEquals(new float[] {7, 3}, set.train().targets());
        assertArrayEquals(new float[] {0, 9}, set.test().targets());
        assertArrayEquals(new int[] {6}, set.flatten().test().featureShape());
        assertArrayEquals(new int[] {10}, set.toCategorical(10).train().targetShape());
    }

    @Test
    void aMissingFileSaysWhatWasLookedFor() throws IOException {
        Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), images());
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
        assertContains(e, "train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte", dir.toString());
    }

    @Test
    void aCorruptImageFileIsReportedWithItsName() throws IOException {
        Path images = Files.write(
                dir.resolve("broken-images"), new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1});
        Path labels = dir.resolve("labels");
        Idx.write(labels, labels(1, 2));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(images, labels));
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
    }
}
