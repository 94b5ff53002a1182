package dev.nabla.cpu;

/**
 * exp and tanh for the scalar lane kernels, within 1 ulp of {@code Math.exp} and {@code Math.tanh} rounded to float,
 * as the Vector API's and the native ones are: the same algorithms as {@code exp_float} and {@code tanh_double} in
 * {@code src/main/native/lane-kernels/lane_kernels.c} (coefficients from its {@code exp_coefficients.py}), in Java;
 * {@code FloatMathTest} checks that each function has the C one's constants.
 * JDK 17 computes {@code Math.tanh} in software (about 45 ns an element here) and {@code Math.exp} in about 14; these
 * take 5-9 (docs/benchmarks.md, "Lane kernels without the Vector API"). Branch-free: where the C code selects, these
 * select bits, so activations that change sign at random cost no mispredicted branches. NaN gives NaN, ±0 keeps its
 * sign.
 */
final class FloatMath {
    private FloatMath() {}

    /**
     * e^x in float arithmetic: x = k ln 2 + r, |r| ≤ ln 2 / 2, e^r = 1 + r + r² q(r) with q of degree 4, and 2^k as
     * two factors so that each is a normal float.
     */
    static float exp(float x) {
        x = Math.min(Math.max(x, -104.0f), 89.0f); // e^-104 rounds to 0 and e^89 overflows; NaN stays NaN
        final float shifter = 0x1.8p23f; // adding it rounds to an integer, kept in the low bits of the sum
        float kd = x * 0x1.715476p0f + shifter; // x / ln 2, rounded
        float k = kd - shifter;
        float r = (x - k * 0x1.62e4p-1f) - k * 0x1.7f7d1cp-20f; // ln 2 in two parts; k times the first is exact
        float q = 0x1.6c69f2p-10f;
        q = q * r + 0x1.120b1cp-7f;
        q = q * r + 0x1.5555bap-5f;
        q = q * r + 0x1.5554dep-3f;
        q = q * r + 0x1p-1f;
        float p = 1.0f + (r + (r * r) * q);
        int ki = Float.floatToRawIntBits(kd) - Float.floatToRawIntBits(shifter); // k, in [-150, 129]
        int k1 = ki >> 1, k2 = ki - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /**
     * tanh(x) in double: the odd Taylor series to x¹¹ for |x| < 1/4, else 1 - 2 / (e^2|x| + 1), whose cancellation
     * needs e^2|x| to more digits than a float has.
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        double s = a * a;
        double small = -1382.0 / 155925;
        small = small * s + 62.0 / 2835;
        small = small * s - 17.0 / 315;
        small = small * s + 2.0 / 15;
        small = small * s - 1.0 / 3;
        small = small * s * a + a;
        double t = expClamped(Math.min(2.0 * a, 40.0)); // from |x| = 20 on, tanh is 1 in double; NaN stays NaN
        double large = 1.0 - 2.0 / (t + 1.0);
        long isSmall = Double.doubleToRawLongBits(a - 0.25) >> 63; // all ones where a < 1/4 (not for NaN)
        long y = (Double.doubleToRawLongBits(small) & isSmall) | (Double.doubleToRawLongBits(large) & ~isSmall);
        return Math.copySign(Double.longBitsToDouble(y), x);
    }

    /** e^x for x in [0, 40] or NaN: the polynomial of degree 6 with the least relative error to e^r (1.9e-9). */
    private static double expClamped(double x) {
        final double shifter = 0x1.8p52;
        double kd = x * 0x1.71547652b82fep0 + shifter; // x / ln 2, rounded
        double k = kd - shifter;
        double r = (x - k * 0x1.62e42fefa3800p-1) - k * 0x1.ef35793c7673p-45; // x - k ln 2 (ln 2 in two parts)
        double p = 0x1.6ab980a6af9a6p-10;
        p = p * r + 0x1.126d0bfb5b840p-7;
        p = p * r + 0x1.55589a42f3fefp-5;
        p = p * r + 0x1.55540a7db484ep-3;
        p = p * r + 0x1.fffffaaf53271p-2;
        p = p * r + 0x1.0000009c01c14p+0;
        p = p * r + 0x1.00000002614ffp+0;
        long scale = (Double.doubleToRawLongBits(kd) - Double.doubleToRawLongBits(shifter) + 1023) << 52; // 2^k
        return p * Double.longBitsToDouble(scale);
    }
}
