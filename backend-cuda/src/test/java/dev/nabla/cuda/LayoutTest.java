package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How views are simplified before they reach a kernel. */
class LayoutTest {

    @Test
    void contiguousOperandsCollapseToOneAxis() {
        Layout l = Layout.of(new int[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertEquals(1, l.rank());
        assertEquals(24, l.dim(0));
        assertTrue(l.allContiguous());
        assertArrayEquals(new int[] {1, 24, 0, 0, 0, 0, 0, 0, 0}, l.shapeParam());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0, 0, 0}, l.stridesParam(0));
    }

    @Test
    void aScalarBroadcastCollapsesWithItsPartner() {
        Layout l = Layout.of(new int[] {5, 7}, new long[] {7, 1}, new long[] {0, 0});
        assertEquals(1, l.rank());
        assertTrue(l.contiguous(0));
        assertFalse(l.contiguous(1));
        assertEquals(0, l.stride(1, 0));
    }

    @Test
    void aBroadcastRowKeepsTwoAxes() {
        Layout l = Layout.of(new int[] {4, 5}, new long[] {5, 1}, new long[] {0, 1});
        assertEquals(2, l.rank());
        assertEquals(0, l.stride(1, 0));
        assertEquals(1, l.stride(1, 1));
    }

    @Test
    void aTransposeStaysStrided() {
        Layout l = Layout.of(new int[] {3, 2}, new long[] {1, 3}, new long[] {2, 1});
        assertEquals(2, l.rank());
        assertFalse(l.allContiguous());
        assertArrayEquals(new long[] {1, 3, 0, 0, 0, 0, 0, 0}, l.stridesParam(0));
    }

    @Test
    void axesOfExtentOneAreDroppedWhateverTheirStride() {
        Layout l = Layout.of(new int[] {1, 6, 1}, new long[] {99, 1, 42});
        assertEquals(1, l.rank());
        assertTrue(l.contiguous(0));
    }

    @Test
    void aScalarHasRankZeroAndOneElement() {
        Layout l = Layout.of(new int[0], new long[0]);
        assertEquals(0, l.rank());
        assertEquals(1, l.count());
        assertTrue(l.allContiguous());
    }

    @Test
    void anEmptyShapeHasNoElements() {
        assertEquals(0, Layout.of(new int[] {3, 0}, new long[] {0, 1}).count());
    }

    @Test
    void mergedAxesNeverOverflowAnInt() {
        Layout l = Layout.of(new int[] {65536, 65536}, new long[] {65536, 1});
        assertEquals(2, l.rank());
    }

    @Test
    void moreThanEightUnmergeableAxesAreRefusedWithTheShape() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] strides = {1000, 300, 90, 40, 17, 9, 5, 3, 1}; // no two neighbours merge
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, () -> Layout.of(shape, strides));
        assertTrue(e.getMessage().contains("at most 8"), e.getMessage());
    }
}
