package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scalar lane kernels and the Vector API ones (when this JVM has it) follow the same rules, tails included. */
class LaneKernelsTest {

    static Stream<LaneKernels> kernels() {
        LaneKernels selected = LaneKernels.selected();
        return selected.getClass() == LaneKernels.class ? Stream.of(selected) : Stream.of(new LaneKernels(), selected);
    }

    private static String name(LaneKernels kernels) {
        return kernels.getClass().getSimpleName();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void maxWithIndexKeepsTheFirstMaximumAndWhereItCameFrom(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {1, 7, 16, 32, 45, 100}) {
            float[][] taps = new float[4][n];
            for (float[] tap : taps) {
                for (int j = 0; j < n; j++) { // few distinct values: many ties between taps
                    tap[j] = random.nextInt(3) - 1;
                }
            }
            taps[2][0] = Float.NaN; // a NaN never replaces a value
            taps[1][n - 1] = -0f; // +0 is not greater than -0: the first of the two stays
            taps[3][n - 1] = 0f;
            int offset = 5; // the operands sit inside larger arrays
            float[] max = new float[n + offset];
            int[] arg = new int[n + offset];
            System.arraycopy(taps[0], 0, max, offset, n);
            for (int j = 0; j < n; j++) {
                arg[offset + j] = j;
            }
            for (int t = 1; t < taps.length; t++) {
                float[] x = new float[n + 3];
                System.arraycopy(taps[t], 0, x, 3, n);
                kernels.maxWithIndex(x, 3, max, offset, arg, offset, 1000 * t, n);
            }
            for (int j = 0; j < n; j++) {
                int winner = 0;
                for (int t = 1; t < taps.length; t++) {
                    if (taps[t][j] > taps[winner][j]) {
                        winner = t;
                    }
                }
                String where = name(kernels) + ", n " + n + ", lane " + j;
                assertEquals(taps[winner][j], max[offset + j], where);
                assertEquals(winner == 0 ? j : 1000 * winner + j, arg[offset + j], where);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void addToAddsEveryLaneOnce(LaneKernels kernels) {
        for (int n : new int[] {1, 15, 16, 96, 101}) {
            float[] x = new float[n + 2], o = new float[n + 4], expected = new float[n + 4];
            for (int j = 0; j < n; j++) {
                x[2 + j] = j * 0.5f;
                o[4 + j] = 1f - j;
                expected[4 + j] = (1f - j) + j * 0.5f;
            }
            kernels.addTo(x, 2, o, 4, n);
            assertArrayEquals(expected, o, name(kernels) + ", n " + n);
        }
    }
}
