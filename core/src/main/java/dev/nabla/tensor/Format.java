package dev.nabla.tensor;

import dev.nabla.backend.DType;
import java.math.BigDecimal;

/** numpy-style printing: {@code [[1.  2.5]\n [3.  4. ]]}, {@code [1.e-05 1.e+00]}, summarized with "..." past 1000 elements. */
final class Format {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private Format() {}

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
                            .stripTrailingZeros()
                            .toPlainString();
                    int dot = plain.indexOf('.');
                    if (dot >= 0) {
                        allWhole = false;
                        decimals = Math.max(decimals, Math.min(8, plain.length() - dot - 1));
                    }
                }
            }
        }
        boolean scientific = !integral && needsScientific(values);
        int fraction = 0, exponentDigits = 2;
        if (scientific) {
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    BigDecimal d = shortest(v, t.dtype());
                    fraction = Math.max(fraction, Math.min(8, d.precision() - 1));
                    exponentDigits = Math.max(
                            exponentDigits,
                            Integer.toString(Math.abs(d.precision() - d.scale() - 1))
                                    .length());
                }
            }
        }
        int width = 0;
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = scientific && Double.isFinite(values[i])
                    ? scientificCell(shortest(values[i], t.dtype()), fraction, exponentDigits)
                    : cell(values[i], integral, allWhole, decimals);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder out = new StringBuilder();
        if (shape.length == 0) {
            return cells[0].trim();
        }
        append(out, cells, shape, 0, 0, width, summarize, integral || allWhole ? 0 : decimals);
        return out.toString();
    }

    /** numpy switches to d.ddde±XX when the finite non-zero magnitudes reach 1e8, go below 1e−4, or span more than 1e3. */
    private static boolean needsScientific(double[] values) {
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                max = Math.max(max, Math.abs(v));
                min = Math.min(min, Math.abs(v));
            }
        }
        return max > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
    }

    /** The value with as many significant digits as its type holds, trailing zeros removed. */
    private static BigDecimal shortest(double v, DType dtype) {
        return BigDecimal.valueOf(dtype == DType.FLOAT32 ? (double) (float) v : v)
                .round(new java.math.MathContext(dtype == DType.FLOAT32 ? 7 : 8))
                .stripTrailingZeros();
    }

    /** d.ddd…e±XX with exactly {@code fraction} digits after the point, like numpy's exponent format. */
    private static String scientificCell(BigDecimal value, int fraction, int exponentDigits) {
        String digits;
        int exponent;
        if (value.signum() == 0) {
            digits = "0";
            exponent = 0;
        } else {
            BigDecimal rounded = value.round(new java.math.MathContext(fraction + 1, java.math.RoundingMode.HALF_EVEN));
            digits = rounded.unscaledValue().abs().toString();
            exponent = rounded.precision() - rounded.scale() - 1;
        }
        digits = (digits + "0".repeat(fraction + 1)).substring(0, fraction + 1);
        String e = Integer.toString(Math.abs(exponent));
        return (value.signum() < 0 ? "-" : "") + digits.charAt(0) + "." + digits.substring(1) + "e"
                + (exponent < 0 ? "-" : "+") + "0".repeat(Math.max(0, exponentDigits - e.length())) + e;
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

    private static void append(
            StringBuilder out,
            String[] cells,
            int[] shape,
            int axis,
            int offset,
            int width,
            boolean summarize,
            int decimals) {
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
