package dev.nabla.tensor;

import java.math.BigDecimal;

/** numpy-style printing: {@code [[1.   2.5 ]\n [3.   4.  ]]}, summarized with "..." past 1000 elements. */
final class Format {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private Format() {
    }

    static String numpy(Tensor t) {
        double[] values = t.toDoubleArray();
        int[] shape = t.shape();
        boolean summarize = values.length > THRESHOLD;
        boolean integral = !t.dtype().isFloating();
        int decimals = 0;
        boolean allWhole = true;
        if (!integral) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    String plain = BigDecimal.valueOf(t.dtype() == DType.FLOAT32 ? (double) (float) v : v)
                            .round(new java.math.MathContext(t.dtype() == DType.FLOAT32 ? 7 : 8))
                            .stripTrailingZeros().toPlainString();
                    int dot = plain.indexOf('.');
                    if (dot >= 0) {
                        allWhole = false;
                        decimals = Math.max(decimals, Math.min(8, plain.length() - dot - 1));
                    }
                }
            }
        }
        int width = 0;
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = cell(values[i], integral, allWhole, decimals);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder out = new StringBuilder();
        if (shape.length == 0) {
            return cells[0].trim();
        }
        append(out, cells, shape, 0, 0, width, summarize, integral || allWhole ? 0 : decimals);
        return out.toString();
    }

    private static String cell(double v, boolean integral, boolean whole, int decimals) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (integral) {
            return Long.toString((long) v);
        }
        if (whole) {
            return String.format(java.util.Locale.ROOT, "%.0f.", v);
        }
        // numpy: trailing zeros become spaces, so decimal points line up: "1.  " "2.5 "
        String fixed = String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        return fixed.substring(0, end) + " ".repeat(fixed.length() - end);
    }

    private static void append(StringBuilder out, String[] cells, int[] shape, int axis, int offset, int width,
            boolean summarize, int decimals) {
        out.append('[');
        int extent = shape[axis];
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        for (int i = 0; i < extent; i++) {
            if (summarize && extent > 2 * EDGE && i == EDGE) {
                out.append(axis == shape.length - 1 ? "... " : "...\n" + " ".repeat(axis + 1));
                i = extent - EDGE - 1;
                continue;
            }
            if (axis == shape.length - 1) {
                String c = cells[offset + i];
                out.append(" ".repeat(width - c.length())).append(c);
                if (i < extent - 1) {
                    out.append(' ');
                }
            } else {
                append(out, cells, shape, axis + 1, offset + i * stride, width, summarize, decimals);
                if (i < extent - 1) {
                    out.append("\n".repeat(shape.length - axis - 1)).append(" ".repeat(axis + 1));
                }
            }
        }
        out.append(']');
    }
}
