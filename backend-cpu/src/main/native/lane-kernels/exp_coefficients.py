"""The coefficients of the polynomials of exp in lane_kernels.c, each the one with the least largest relative error
on [-ln 2 / 2, ln 2 / 2], by the Remez exchange algorithm: exp_clamped's of degree 6 to e^r, and exp_float's
q of degree 4 to (e^r - 1 - r) / r^2 (its coefficients are then rounded to float).
    python3 exp_coefficients.py      (needs mpmath; prints the errors and the coefficients, constant first)
"""
import mpmath as mp

mp.mp.dps = 40
HALF = mp.log(2) / 2


def remez(degree, f, iterations=30, grid=4000):
    n = degree + 2
    xs = [HALF * mp.cos(mp.pi * (n - 1 - i) / (n - 1)) for i in range(n)]  # Chebyshev points to start
    for _ in range(iterations):
        # p(x_i) + (-1)^i E f(x_i) = f(x_i): the error alternates with equal size at the points
        a, b = mp.matrix(n, n), mp.matrix(n, 1)
        for i, x in enumerate(xs):
            for j in range(degree + 1):
                a[i, j] = x**j
            a[i, degree + 1] = (-1) ** i * f(x)
            b[i] = f(x)
        solution = mp.lu_solve(a, b)
        c = [solution[j] for j in range(degree + 1)]
        points = [-HALF + 2 * HALF * k / grid for k in range(grid + 1)]
        error = [(sum(c[j] * x**j for j in range(degree + 1)) - f(x)) / f(x) for x in points]
        extrema = [points[0]] + [points[k] for k in range(1, grid)
                                 if (error[k] - error[k - 1]) * (error[k + 1] - error[k]) <= 0] + [points[-1]]
        if len(extrema) != n:
            break
        xs = extrema
    return c, max(abs(e) for e in error)


def q(r):
    return (mp.exp(r) - 1 - r) / r**2 if abs(r) > mp.mpf("1e-12") else mp.mpf(1) / 2 + r / 6


for name, degree, f in (("exp_clamped, e^r", 6, mp.exp), ("exp_float, q(r)", 4, q)):
    coefficients, largest = remez(degree, f)
    print(f"{name}: largest relative error {mp.nstr(largest, 5)}")
    print("  " + ", ".join(float(c).hex() for c in coefficients))
