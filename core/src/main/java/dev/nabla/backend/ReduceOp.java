package dev.nabla.backend;

/**
 * Reductions over the trailing axes of a view (see {@link Backend#reduce}).
 *
 * <p>Over zero elements SUM gives 0, MAX −∞ and MIN +∞ (core rejects ARGMAX/ARGMIN of nothing).
 * ARGMAX and ARGMIN write INT32 indices into the row-major flattening of the reduced axes; on
 * ties the first index wins.
 */
public enum ReduceOp {
    SUM,
    MAX,
    MIN,
    ARGMAX,
    ARGMIN;

    /** Whether the result is an INT32 index rather than a value of the input's type. */
    public boolean producesIndex() {
        return this == ARGMAX || this == ARGMIN;
    }
}
