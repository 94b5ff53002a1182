package dev.nabla.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Axis merging, written once for every device backend. */
class MergedAxesTest {
    @Test
    void aContiguousTensorBecomesOneAxisOfStrideOne() {
        MergedAxes m = MergedAxes.of(new int[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertArrayEquals(new int[] {24}, m.shape());
        assertArrayEquals(new long[] {1}, m.strides()[0]);
        assertEquals(24, m.size());
    }

    @Test
    void aBroadcastRowKeepsTwoAxes() {
        MergedAxes m = MergedAxes.of(new int[] {4, 5}, new long[] {5, 1}, new long[] {0, 1});
        assertArrayEquals(new int[] {4, 5}, m.shape());
        assertArrayEquals(new long[] {0, 1}, m.strides()[1]);
    }

    @Test
    void axesOfExtentOneAreDroppedAndAScalarHasRankZero() {
        assertArrayEquals(
                new int[] {6},
                MergedAxes.of(new int[] {1, 6, 1}, new long[] {6, 1, 1}).shape());
        MergedAxes scalar = MergedAxes.of(new int[] {1, 1}, new long[] {1, 1});
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
    }

    @Test
    void aTransposedOperandStopsTheMerge() {
        MergedAxes m = MergedAxes.of(new int[] {3, 4}, new long[] {4, 1}, new long[] {1, 3});
        assertEquals(2, m.rank());
    }

    @Test
    void aMergeThatWouldPassIntRangeIsNotMade() {
        MergedAxes m = MergedAxes.of(new int[] {65536, 65536}, new long[] {65536, 1});
        assertArrayEquals(new int[] {65536, 65536}, m.shape());
    }

    @Test
    void anEmptyAxisGivesSizeZero() {
        assertEquals(0, MergedAxes.of(new int[] {0, 3}, new long[] {3, 1}).size());
    }
}
