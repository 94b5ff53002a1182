package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The shuffle must match samples/scripts/convert-mnist-digits.py, value for value, on every JVM. */
class PermutationTest {
    @Test
    void splitMix64GivesItsReferenceOutputs() {
        Permutation rng = new Permutation(0);
        assertEquals(Long.parseUnsignedLong("16294208416658607535"), rng.nextLong());
        assertEquals(Long.parseUnsignedLong("7960286522194355700"), rng.nextLong());
    }

    @Test
    void shufflesMatchThePythonConversionScript() {
        assertArrayEquals(new int[] {0, 9, 5, 8, 6, 4, 7, 2, 1, 3}, Permutation.of(10, 42));
        assertArrayEquals(new int[] {5, 4, 6, 2, 1, 3, 0}, Permutation.of(7, -1));
        assertArrayEquals(new int[] {4, 11, 6, 10, 2, 0, 9, 3, 5, 7, 1, 8}, Permutation.of(12, 20240601));
    }

    @Test
    void tinyPermutationsAreIdentities() {
        assertArrayEquals(new int[] {}, Permutation.of(0, 1));
        assertArrayEquals(new int[] {0}, Permutation.of(1, 1));
    }
}
