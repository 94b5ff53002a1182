package dev.nabla.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A window geometry is checked when it is made: backends may trust every one they are given. */
class Window2dTest {

    /** 28×28, 3×3 window, stride 1, SAME (one cell of padding on each side): 28×28 windows. */
    private static Window2d same(int oh, int ow, int top) {
        return new Window2d(2, 28, 28, 3, 3, 3, 1, 1, 1, 1, top, 1, 1, 1, oh, ow);
    }

    @Test
    @DisplayName("a geometry whose windows fit the padded input is accepted, with its derived sizes")
    void accepted() {
        Window2d win = same(28, 28, 1);
        assertEquals(30, win.paddedH());
        assertEquals(9, win.taps());
        assertEquals(2L * 28 * 28, win.windows());
        assertEquals(5, win.withBatch(5).n());
    }

    @Test
    @DisplayName("more windows than fit the padded input, negative padding or a zero stride are refused")
    void refused() {
        assertThrows(IllegalArgumentException.class, () -> same(29, 28, 1));
        assertThrows(IllegalArgumentException.class, () -> same(28, 28, -1));
        assertThrows(
                IllegalArgumentException.class, () -> new Window2d(1, 5, 5, 1, 2, 2, 0, 2, 1, 1, 0, 0, 0, 0, 2, 2));
    }
}
