package dev.nabla.backend;

/**
 * Distributions that {@link Backend#random} draws from, with parameters a and b. Every backend
 * draws the same numbers for the same seed and counter (see {@link Philox}).
 */
public enum RandomKind {
    /** Uniform on [a, b). Element i uses 32-bit word i mod 4 of block counter + i / 4. */
    UNIFORM,
    /** Normal with mean a and standard deviation b (Box–Muller). Element i uses words
     *  2·(i mod 2) and 2·(i mod 2) + 1 of block counter + i / 2. */
    NORMAL,
    /** Inverted-dropout mask: 1 / a with probability a (the keep probability), else 0.
     *  Element i uses word i mod 4 of block counter + i / 4. */
    DROPOUT_MASK;

    /** How many Philox blocks a draw of {@code n} elements consumes (how far a generator's counter advances). */
    public long blocksFor(long n) {
        return this == NORMAL ? (n + 1) / 2 : (n + 3) / 4;
    }
}
