package dev.nabla.cpu;

/**
 * exp and tanh of the lane kernels, within 1 ulp of {@code Math.exp} and {@code Math.tanh} rounded to float: the same
 * algorithms as {@code exp_float} and {@code tanh_double} in {@code src/main/native/lane-kernels/lane_kernels.c}
 * (coefficients from its {@code exp_coefficients.py}), in Java. Every kind of lane kernels computes these operations
 * in this order: the scalar loops call these functions, the Vector API kernels apply the same operations to whole
 * vectors with these constants, and the native loops are compiled without fused multiply-adds. Each step is a
 * correctly rounded IEEE operation, so all three give the same bits, and the same before and after the JIT compiles
 * them (the Vector API's own tanh and exp do not: interpreted they are {@code Math}'s, compiled a vector library's,
 * 1 ulp apart for about 1 % of floats). {@code FloatMathTest} checks that the constants are the C code's.
 *
 * <p>JDK 17 computes {@code Math.tanh} in software (about 45 ns an element here) and {@code Math.exp} in about 14;
 * these take 5-9 (docs/benchmarks.md, "Lane kernels without the Vector API"). Branch-free: where the C code
 * selects, these select bits, so activations that change sign at random cost no mispredicted branches. NaN gives
 * NaN, ±0 keeps its sign.
 */
final class FloatMath {
    private FloatMath() {}

    // exp_float's constants, in the order it uses them.
    /** e^x is rounded to 0 below this and overflows above the next. */
    static final float EXP_MIN = -104.0f, EXP_MAX = 89.0f;
    /** Adding it rounds to an integer, kept in the low bits of the sum. */
    static final float EXP_SHIFTER = 0x1.8p23f;

    static final float EXP_LOG2E = 0x1.715476p0f;
    /** ln 2 in two parts; k times the first is exact. */
    static final float EXP_LN2_HI = 0x1.62e4p-1f, EXP_LN2_LO = 0x1.7f7d1cp-20f;
    /** q(r), highest degree first. */
    static final float EXP_Q4 = 0x1.6c69f2p-10f,
            EXP_Q3 = 0x1.120b1cp-7f,
            EXP_Q2 = 0x1.5555bap-5f,
            EXP_Q1 = 0x1.5554dep-3f,
            EXP_Q0 = 0x1p-1f;
    // end of exp_float's constants

    /**
     * e^x in float arithmetic: x = k ln 2 + r, |r| ≤ ln 2 / 2, e^r = 1 + r + r² q(r) with q of degree 4, and 2^k as
     * two factors so that each is a normal float.
     */
    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_MIN), EXP_MAX); // NaN stays NaN
        float kd = x * EXP_LOG2E + EXP_SHIFTER; // x / ln 2, rounded
        float k = kd - EXP_SHIFTER;
        float r = (x - k * EXP_LN2_HI) - k * EXP_LN2_LO;
        float q = EXP_Q4;
        q = q * r + EXP_Q3;
        q = q * r + EXP_Q2;
        q = q * r + EXP_Q1;
        q = q * r + EXP_Q0;
        float p = 1.0f + (r + (r * r) * q);
        int ki = Float.floatToRawIntBits(kd) - Float.floatToRawIntBits(EXP_SHIFTER); // k, in [-150, 129]
        int k1 = ki >> 1, k2 = ki - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    // tanh_double's constants, in the order it uses them.
    /** The odd Taylor series of tanh to x¹¹, highest degree first. */
    static final double TANH_T11 = -1382.0 / 155925,
            TANH_T9 = 62.0 / 2835,
            TANH_T7 = -17.0 / 315,
            TANH_T5 = 2.0 / 15,
            TANH_T3 = -1.0 / 3;
    // end of tanh_double's constants

    /** Below this |x|, the Taylor series (the rest is under 2e-10 of it); from it on, 1 - 2 / (e^2|x| + 1). */
    static final double TANH_SMALL = 0.25;
    /** e^2|x| is clamped here: from |x| = 20 on, tanh is 1 in double. */
    static final double TANH_EXP_MAX = 40.0;

    /**
     * tanh(x) in double: the odd Taylor series to x¹¹ for |x| < 1/4, else 1 - 2 / (e^2|x| + 1), whose cancellation
     * needs e^2|x| to more digits than a float has.
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        double s = a * a;
        double small = TANH_T11;
        small = small * s + TANH_T9;
        small = small * s + TANH_T7;
        small = small * s + TANH_T5;
        small = small * s + TANH_T3;
        small = small * s * a + a;
        double t = expClamped(Math.min(2.0 * a, TANH_EXP_MAX)); // NaN stays NaN
        double large = 1.0 - 2.0 / (t + 1.0);
        long isSmall = Double.doubleToRawLongBits(a - TANH_SMALL) >> 63; // all ones where a < 1/4 (not for NaN)
        long y = (Double.doubleToRawLongBits(small) & isSmall) | (Double.doubleToRawLongBits(large) & ~isSmall);
        return Math.copySign(Double.longBitsToDouble(y), x);
    }

    // exp_clamped's constants, in the order it uses them.
    static final double EXPD_SHIFTER = 0x1.8p52, EXPD_LOG2E = 0x1.71547652b82fep0;
    /** ln 2 in two parts. */
    static final double EXPD_LN2_HI = 0x1.62e42fefa3800p-1, EXPD_LN2_LO = 0x1.ef35793c7673p-45;
    /** The polynomial of degree 6 with the least relative error to e^r (1.9e-9), highest degree first. */
    static final double EXPD_P6 = 0x1.6ab980a6af9a6p-10,
            EXPD_P5 = 0x1.126d0bfb5b840p-7,
            EXPD_P4 = 0x1.55589a42f3fefp-5,
            EXPD_P3 = 0x1.55540a7db484ep-3,
            EXPD_P2 = 0x1.fffffaaf53271p-2,
            EXPD_P1 = 0x1.0000009c01c14p+0,
            EXPD_P0 = 0x1.00000002614ffp+0;
    // end of exp_clamped's constants

    /** e^x for x in [0, 40] or NaN. */
    static double expClamped(double x) {
        double kd = x * EXPD_LOG2E + EXPD_SHIFTER; // x / ln 2, rounded
        double k = kd - EXPD_SHIFTER;
        double r = (x - k * EXPD_LN2_HI) - k * EXPD_LN2_LO; // x - k ln 2
        double p = EXPD_P6;
        p = p * r + EXPD_P5;
        p = p * r + EXPD_P4;
        p = p * r + EXPD_P3;
        p = p * r + EXPD_P2;
        p = p * r + EXPD_P1;
        p = p * r + EXPD_P0;
        long scale = (Double.doubleToRawLongBits(kd) - Double.doubleToRawLongBits(EXPD_SHIFTER) + 1023) << 52; // 2^k
        return p * Double.longBitsToDouble(scale);
    }
}
