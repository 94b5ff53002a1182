package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.DType;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input to conv2d, maxPool2d, avgPool2d and pad: one-line messages naming the op, the problem and the shapes. */
class ConvolutionErrorsTest {
    private static final int[] ONE = {1, 1};
    private TensorScope scope;

    @BeforeEach
    void open() {
        scope = TensorScope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** The message of the IllegalArgumentException {@code call} throws, checked to be one line. */
    private static String message(Executable call) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }

    private static void says(Executable call, String... fragments) {
        String message = message(call);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + fragment + "' in: " + message);
        }
    }

    @Test
    void conv2dNamesTheChannelsTheKernelExpects() {
        Tensor x = Tensor.zeros(2, 28, 28, 1);
        Tensor kernel = Tensor.zeros(5, 5, 3, 8);
        assertEquals(
                "conv2d: kernel [5, 5, 3, 8] expects 3 input channels but the input [2, 28, 28, 1] has 1",
                message(() -> x.conv2d(kernel)));
        Tensor grouped = Tensor.zeros(3, 3, 2, 8);
        assertEquals(
                "conv2d: kernel [3, 3, 2, 8] expects 8 input channels (2 per group × 4 groups) but the input"
                        + " [2, 28, 28, 1] has 1, which do not split into 4 groups",
                message(() -> x.conv2d(grouped, ONE, Padding.SAME, ONE, 4)));
    }

    @Test
    void conv2dRefusesAWindowLargerThanThePaddedInput() {
        Tensor x = Tensor.zeros(1, 3, 3, 1);
        assertEquals(
                "conv2d: the kernel 5×5 (dilated 5×5) is larger than the padded input 3×3 (input [1, 3, 3, 1],"
                        + " padding VALID); expected a window that fits the padded input",
                message(() -> x.conv2d(Tensor.zeros(5, 5, 1, 8))));
        says(
                () -> x.conv2d(Tensor.zeros(2, 2, 1, 1), ONE, Padding.VALID, new int[] {3, 1}, 1),
                "conv2d: the kernel 2×2 (dilated 4×2) is larger than the padded input 3×3");
    }

    @Test
    void conv2dWantsRankFourNhwcInputAndKernel() {
        assertEquals(
                "conv2d: expected a rank-4 NHWC input, got [28, 28]; NHWC is [batch, height, width, channels]",
                message(() -> Tensor.zeros(28, 28).conv2d(Tensor.zeros(3, 3, 1, 1))));
        says(
                () -> Tensor.zeros(1, 5, 5, 1).conv2d(Tensor.zeros(3, 3, 1)),
                "conv2d: expected a rank-4 kernel [kh, kw, channels / groups, filters], got [3, 3, 1]");
    }

    @Test
    void conv2dChecksGroupsStridesDilationAndPadding() {
        Tensor x = Tensor.zeros(1, 5, 5, 4);
        says(() -> x.conv2d(Tensor.zeros(3, 3, 4, 2), ONE, Padding.SAME, ONE, 0), "conv2d: groups 0 must be ≥ 1");
        says(
                () -> x.conv2d(Tensor.zeros(3, 3, 1, 3), ONE, Padding.SAME, ONE, 3),
                "conv2d: kernel [3, 3, 1, 3] expects 3 input channels (1 per group × 3 groups) but the input"
                        + " [1, 5, 5, 4] has 4, which do not split into 3 groups");
        says(
                () -> x.conv2d(Tensor.zeros(3, 3, 2, 3), ONE, Padding.SAME, ONE, 2),
                "conv2d: kernel [3, 3, 2, 3] has 3 filters; expected a positive multiple of groups 2");
        Tensor kernel = Tensor.zeros(3, 3, 4, 2);
        says(() -> x.conv2d(kernel, new int[] {0, 1}, Padding.SAME, ONE, 1), "conv2d: strides [0, 1] must be positive");
        says(
                () -> x.conv2d(kernel, new int[] {2}, Padding.SAME, ONE, 1),
                "conv2d: strides [2] has 1 entries; expected 2");
        says(
                () -> x.conv2d(kernel, ONE, Padding.SAME, new int[] {2, 2, 2}, 1),
                "conv2d: dilation [2, 2, 2] has 3 entries; expected 2");
        says(() -> x.conv2d(kernel, ONE, null, ONE, 1), "conv2d: padding is null");
    }

    @Test
    void conv2dChecksTypesAndBackends() {
        Tensor x = Tensor.zeros(1, 5, 5, 1);
        says(() -> x.conv2d(Tensor.zeros(3, 3, 1, 1).to(DType.FLOAT64)), "conv2d: operands have different dtypes");
        says(
                () -> x.to(DType.INT32).conv2d(Tensor.zeros(3, 3, 1, 1).to(DType.INT32)),
                "conv2d: needs a floating-point tensor");
    }

    @Test
    void poolingChecksItsWindow() {
        Tensor x = Tensor.zeros(1, 3, 3, 2);
        assertEquals(
                "maxPool2d: the pool 4×4 is larger than the padded input 3×3 (input [1, 3, 3, 2], padding VALID);"
                        + " expected a window that fits the padded input",
                message(() -> x.maxPool2d(new int[] {4, 4}, null, Padding.VALID)));
        says(() -> Tensor.zeros(3, 3).avgPool2d(new int[] {2, 2}, null, Padding.SAME), "avgPool2d: expected a rank-4");
        says(() -> x.avgPool2d(null, null, Padding.SAME), "avgPool2d: poolSize is null");
        says(() -> x.maxPool2d(new int[] {2, 0}, null, Padding.SAME), "maxPool2d: poolSize [2, 0] must be positive");
        says(
                () -> x.maxPool2d(new int[] {2, 2}, new int[] {1, 1, 1}, Padding.SAME),
                "maxPool2d: strides [1, 1, 1] has 3 entries");
    }

    @Test
    void padNamesTheAxisAndTheWidths() {
        Tensor x = Tensor.zeros(2, 3);
        says(
                () -> x.pad(new int[][] {{1, 1}}, 0),
                "pad: expected one {before, after} pair per axis of [2, 3] (2), got 1");
        says(
                () -> x.pad(new int[][] {{0, 0}, {-1, 2}}, 0),
                "pad: widths of axis 1 are [-1, 2]; expected {before, after} with both ≥ 0");
        says(() -> x.pad(new int[][] {{0, 0}, {1}}, 0), "pad: widths of axis 1 are [1]");
    }

    @Test
    void aClosedInputIsNamed() {
        Tensor x = Tensor.zeros(1, 4, 4, 1);
        x.close();
        Supplier<Tensor> call = () -> x.maxPool2d(new int[] {2, 2}, null, Padding.VALID);
        String message = assertThrows(IllegalStateException.class, call::get).getMessage();
        assertTrue(message.startsWith("maxPool2d: the tensor [1, 4, 4, 1]"), message);
    }
}
