"""The real-code suite (issue 16): kernels taken from public Numba code, each written out again
in this repository's style, with where it comes from and what it computes in its header comment.

Sources: numba/numba-benchmark (`benchmarks/`), numba/numba-examples, Numba's documentation and
library code (numba/numba), spcl/npbench (`npbench/benchmarks/**/*_numba_n.py`), QuantEcon's
lectures (QuantEcon/lecture-python-programming.myst, QuantEcon/lecture-python.myst) and numbagg
(through numba-benchmark). What changed from an original is said in its header: array
expressions are written as the loops they stand for (slice assignment is not compiled yet),
random draws are made by `setup` and passed in (np.random is not compiled yet), results that
were arrays come back as a checksum (so every engine's answer can be compared with CPython's),
and kernels that write their arguments first reset what they write, so that every call does
the same work.

Every top-level `def` of a kernel's source is decorated (helpers too), as in kernels.py; every
source starts with `import numpy as np`. `setup` is evaluated in the kernel's module, and
`SMALL[name]` is the same kind of expression with small sizes, for tests/test_realcode.py.
Sizes: CPython takes about 0.05-0.3 s per call. Float results equal CPython's bit for bit: every
engine runs the same operations in the same order. Scalar `np.exp`/`np.sin`/... of the
originals are written `math.exp`/`math.sin`/...: NumPy's own SIMD routines for a NumPy scalar
can differ from the C library's in the last bit, and the compiled code (stickyjit's and
Numba's) calls the C library's.

    .venv/bin/python benches/harness.py --suite realcode --rounds 2
"""

from __future__ import annotations

from kernels import Kernel

# Every kernel's module starts with this. The totals are the checksums of float arrays: a sum in
# index order, where NumPy's `a.sum()` (CPython's answer) sums pairwise and differs in the last
# bits from the in-order sum of compiled code (stickyjit's and Numba's). Integer sums are exact
# and stay `a.sum()`.
PRELUDE = """import numpy as np


def total1(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def total2(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def total3(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                s += a[i, j, k]
    return s


def total4(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += total3(a[i])
    return s
"""

KERNELS: list[Kernel] = []
NUMBA_INEXACT = "numba_inexact"
SMALL: dict[str, str] = {}


def add(name: str, category: str, source: str, setup: str, small: str, tags: tuple = ()) -> None:
    """One kernel: `setup` makes the benchmark's arguments, `small` the test's. The tag
    NUMBA_INEXACT (said why in the kernel's header) lets Numba's answer differ from CPython's
    in the last bits; stickyjit's must still equal CPython's."""
    KERNELS.append(Kernel(name, category, PRELUDE + source, (), setup=setup, tags=tags))
    SMALL[name] = small


RNG = "np.random.default_rng"

# ---------------------------------------------------------------------------------------------
# numba/numba-benchmark

add(
    "centdiff_1d",
    "stencil",
    """
# numba/numba-benchmark, benchmarks/bench_centdiff.py, centered_difference_range1d: the second
# centered difference of u on a 1-D grid, divided by dx**2 (loop-invariant `dx ** 2` and a
# division by it in the loop; `dx` has a default, passed here). Returns a checksum of D.
def centdiff_1d(u, D, dx=1.0):
    (m,) = u.shape
    for i in range(1, m - 1):
        D[i] = (u[i - 1] + u[i + 1] - 2.0 * u[i]) / dx**2
    s = 0.0
    for i in range(m):
        s += D[i]
    return s
""",
    f"({RNG}(101).random(200_000), np.zeros(200_000), 1.5)",
    f"({RNG}(101).random(50), np.zeros(50), 1.5)",
)

add(
    "centdiff_2d",
    "stencil",
    """
# numba/numba-benchmark, benchmarks/bench_centdiff.py, centered_difference_range2d: the 2-D
# five-point Laplacian divided by dx**2 (`dx ** 2` invariant in the loop nest). Checksum of D.
def centdiff_2d(u, D, dx=1.0):
    m, n = u.shape
    for i in range(1, m - 1):
        for j in range(1, n - 1):
            D[i, j] = (u[i + 1, j] + u[i, j + 1] + u[i - 1, j] + u[i, j - 1] - 4.0 * u[i, j]) / dx**2
    s = 0.0
    for i in range(m):
        s += D[i, i] + D[i, m // 2]
    return s
""",
    f"({RNG}(102).random((350, 350)), np.zeros((350, 350)), 1.5)",
    f"({RNG}(102).random((12, 12)), np.zeros((12, 12)), 1.5)",
)

add(
    "grouped_sum",
    "indirect indexing",
    """
# numba/numba-benchmark, benchmarks/bench_misc.py, grouped_sum (IndirectIndexing): adds each
# value into the bin its label names. The targets are zeroed first (the benchmark does it
# outside); returns a checksum.
def grouped_sum(values, labels, target):
    for k in range(len(target)):
        target[k] = 0.0
    for i in range(len(values)):
        idx = labels[i]
        target[idx] += values[i]
    s = 0.0
    for k in range(len(target)):
        s += target[k] * (k + 1)
    return s
""",
    f"({RNG}(103).standard_normal(300_000), {RNG}(104).integers(0, 20, 300_000), np.zeros(20))",
    f"({RNG}(103).standard_normal(100), {RNG}(104).integers(0, 20, 100), np.zeros(20))",
)

add(
    "ising",
    "monte carlo (draws passed in)",
    """
# numba/numba-benchmark, benchmarks/bench_ising.py, _update and update: a Metropolis sweep of the
# 2-D Ising model with periodic boundaries (indices wrapped with %), even then odd columns. The
# uniform draws np.random.random() are passed in as an array; kT is the original's global.
# Starts from a copy of x0; returns the magnetisation.
kT = 2 / math.log(1 + math.sqrt(2), math.e)


def ising_update(x, i, j, u):
    n, m = x.shape
    dE = (
        2
        * x[i, j]
        * (
            x[(i - 1) % n, (j - 1) % m]
            + x[(i - 1) % n, j]
            + x[(i - 1) % n, (j + 1) % m]
            + x[i, (j - 1) % m]
            + x[i, (j + 1) % m]
            + x[(i + 1) % n, (j - 1) % m]
            + x[(i + 1) % n, j]
            + x[(i + 1) % n, (j + 1) % m]
        )
    )
    if dE <= 0 or math.exp(-dE / kT) > u:
        x[i, j] *= -1


def ising(x0, x, draws, sweeps):
    n, m = x.shape
    for i in range(n):
        for j in range(m):
            x[i, j] = x0[i, j]
    k = 0
    for _ in range(sweeps):
        for i in range(n):
            for j in range(0, m, 2):
                ising_update(x, j, i, draws[k])
                k += 1
        for i in range(n):
            for j in range(1, m, 2):
                ising_update(x, j, i, draws[k])
                k += 1
    return x.sum()
""",
    f"({RNG}(105).integers(0, 2, (100, 100)) * 2 - 1, np.zeros((100, 100), dtype=np.int64), {RNG}(106).random(30_000), 3)",
    f"({RNG}(105).integers(0, 2, (8, 8)) * 2 - 1, np.zeros((8, 8), dtype=np.int64), {RNG}(106).random(128), 2)",
)

add(
    "laplace",
    "stencil",
    """
# numba/numba-benchmark, benchmarks/bench_laplace.py, laplace (from numpy-vbench): Jacobi
# iterations of the Laplace equation with dx2, dy2 module constants. The original's array
# expression reads the old u whole before writing: written here with a second array and a copy
# back. u[0] = 1 becomes a loop (row assignment is not compiled yet). Returns u's sum.
dx = 0.1
dy = 0.1
dx2 = dx * dx
dy2 = dy * dy


def laplace(N, Niter):
    u = np.zeros((N, N))
    t = np.zeros((N, N))
    for j in range(N):
        u[0, j] = 1.0
    for _ in range(Niter):
        for i in range(1, N - 1):
            for j in range(1, N - 1):
                t[i, j] = ((u[i + 1, j] + u[i - 1, j]) * dy2 + (u[i, j + 1] + u[i, j - 1]) * dx2) / (2 * (dx2 + dy2))
        for i in range(1, N - 1):
            for j in range(1, N - 1):
                u[i, j] = t[i, j]
    return total2(u)
""",
    "(60, 25)",
    "(8, 3)",
)

add(
    "nbody_accel",
    "n-body",
    """
# numba/numba-benchmark, benchmarks/bench_nbody.py, run_numba_nbody: 2-D gravitational
# accelerations of every body from every other (softened, 1 / sqrt(r**6)). float64 here where
# the original uses float32 constants. Returns a checksum of the accelerations.
eps_2 = 1e-6


def nbody_accel(positions, weights):
    accelerations = np.zeros_like(positions)
    n = weights.shape[0]
    for i in range(n):
        ax = 0.0
        ay = 0.0
        for j in range(n):
            rx = positions[j, 0] - positions[i, 0]
            ry = positions[j, 1] - positions[i, 1]
            sqr_dist = rx * rx + ry * ry + eps_2
            sixth_dist = sqr_dist * sqr_dist * sqr_dist
            inv_dist_cube = 1.0 / math.sqrt(sixth_dist)
            s = weights[j] * inv_dist_cube
            ax += s * rx
            ay += s * ry
        accelerations[i, 0] = ax
        accelerations[i, 1] = ay
    t = 0.0
    for i in range(n):
        t += accelerations[i, 0] - accelerations[i, 1]
    return t
""",
    f"({RNG}(107).uniform(-1.0, 1.0, (200, 2)), {RNG}(108).uniform(1.0, 2.0, 200))",
    f"({RNG}(107).uniform(-1.0, 1.0, (9, 2)), {RNG}(108).uniform(1.0, 2.0, 9))",
)

add(
    "game_of_life",
    "stencil",
    """
# numba/numba-benchmark, benchmarks/bench_gameoflife.py, wrap / increment_neighbors /
# numba_life_step: Conway's game of life on a torus, counting neighbours by scattering from live
# cells (loops over the tuple (-1, 0, 1)). The new state, an array expression in the original,
# is a loop over two arrays used in turn. Returns the live cells after `steps` generations.
def wrap(k, max_k):
    if k == -1:
        return max_k - 1
    elif k == max_k:
        return 0
    else:
        return k


def increment_neighbors(i, j, neighbors):
    ni, nj = neighbors.shape
    for delta_i in (-1, 0, 1):
        neighbor_i = wrap(i + delta_i, ni)
        for delta_j in (-1, 0, 1):
            if delta_i != 0 or delta_j != 0:
                neighbor_j = wrap(j + delta_j, nj)
                neighbors[neighbor_i, neighbor_j] += 1


def life_step(X, out):
    neighbors = np.zeros_like(X, dtype=np.int8)
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            if X[i, j]:
                increment_neighbors(i, j, neighbors)
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            out[i, j] = neighbors[i, j] == 3 or (X[i, j] and neighbors[i, j] == 2)


def game_of_life(start, a, b, steps):
    for i in range(start.shape[0]):
        for j in range(start.shape[1]):
            a[i, j] = start[i, j]
    for _ in range(steps // 2):
        life_step(a, b)
        life_step(b, a)
    return a.sum()
""",
    f"({RNG}(109).random((100, 80)) > 0.5, np.zeros((100, 80), dtype=np.bool_), np.zeros((100, 80), dtype=np.bool_), 6)",
    f"({RNG}(109).random((7, 5)) > 0.5, np.zeros((7, 5), dtype=np.bool_), np.zeros((7, 5), dtype=np.bool_), 4)",
)

# ---------------------------------------------------------------------------------------------
# numba/numba-examples

add(
    "bubblesort",
    "sorting",
    """
# numba/numba-examples, legacy/bubblesort.py, bubblesort: sorts X in place (inner loop compares
# X[i] with X[i + 1], swapping by tuple assignment). Sorts a copy of src; returns a checksum.
def bubblesort(src, X):
    N = X.shape[0]
    for i in range(N):
        X[i] = src[i]
    for end in range(N, 1, -1):
        for i in range(end - 1):
            if X[i] > X[i + 1]:
                X[i], X[i + 1] = X[i + 1], X[i]
    return X[0] + 3 * X[N // 2] + 7 * X[N - 1]
""",
    f"({RNG}(110).integers(-10**6, 10**6, 800), np.zeros(800, dtype=np.int64))",
    f"({RNG}(110).integers(-10**6, 10**6, 17), np.zeros(17, dtype=np.int64))",
)

add(
    "move_mean",
    "moving window",
    """
# numba/numba-examples, legacy/movemean.py (also Numba's docs, user/examples.rst "Moving
# average"), move_mean: the running mean over a window, a gufunc there, a loop over one row
# here. out[i] = asum / count: a float division in the loop. Returns out's sum.
def move_mean(a, window_width, out):
    asum = 0.0
    count = 0
    for i in range(window_width):
        asum += a[i]
        count += 1
        out[i] = asum / count
    for i in range(window_width, len(a)):
        asum += a[i] - a[i - window_width]
        out[i] = asum / count
    return total1(out)
""",
    f"({RNG}(111).random(300_000), 20, np.zeros(300_000))",
    f"({RNG}(111).random(40), 5, np.zeros(40))",
)

add(
    "ra24",
    "math calls",
    """
# numba/numba-examples, legacy/ra24.py, ra_numba: extraterrestrial radiation per latitude for a
# day of the year: acos, tan, and sin and cos of the same latitude in the loop. np.ndenumerate
# is written as two loops; returns the sum of ra.
def ra24(doy, lat):
    ra = np.zeros_like(lat)
    Gsc = 0.0820
    pi = math.pi
    dr = 1 + 0.033 * math.cos(2 * pi / 365 * doy)
    decl = 0.409 * math.sin(2 * pi / 365 * doy - 1.39)
    tan_decl = math.tan(decl)
    cos_decl = math.cos(decl)
    sin_decl = math.sin(decl)
    n, m = lat.shape
    for i in range(n):
        for j in range(m):
            latval = lat[i, j]
            ws = math.acos(-math.tan(latval) * tan_decl)
            ra[i, j] = (
                24
                * 60
                / pi
                * Gsc
                * dr
                * (ws * math.sin(latval) * sin_decl + math.cos(latval) * cos_decl * math.sin(ws))
                * 11.6
            )
    return total2(ra)
""",
    f"(120, {RNG}(112).uniform(-1.2, 1.2, (400, 400)))",
    f"(120, {RNG}(112).uniform(-1.2, 1.2, (6, 6)))",
)

add(
    "mandel_fractal",
    "scalar loops",
    """
# numba/numba-examples, legacy/mandel/mandel_jit.py (and Numba's docs, user/examples.rst
# "Mandelbrot"), mandel / create_fractal: escape time per pixel into a uint8 image. The complex
# z*z + c is written on its real and imaginary parts (complex is not compiled yet). Returns the
# image's sum.
def mandel(x, y, max_iters):
    zr = 0.0
    zi = 0.0
    for i in range(max_iters):
        zr, zi = zr * zr - zi * zi + x, 2.0 * zr * zi + y
        if zr * zr + zi * zi >= 4:
            return i
    return 255


def mandel_fractal(min_x, max_x, min_y, max_y, image, iters):
    height = image.shape[0]
    width = image.shape[1]
    pixel_size_x = (max_x - min_x) / width
    pixel_size_y = (max_y - min_y) / height
    for x in range(width):
        real = min_x + x * pixel_size_x
        for y in range(height):
            imag = min_y + y * pixel_size_y
            image[y, x] = mandel(real, imag, iters)
    return image.sum()
""",
    "(-2.0, 1.0, -1.0, 1.0, np.zeros((200, 300), dtype=np.uint8), 20)",
    "(-2.0, 1.0, -1.0, 1.0, np.zeros((6, 9), dtype=np.uint8), 20)",
)

add(
    "filter2d",
    "image",
    """
# numba/numba-examples, legacy/blur_image.py, filter2d_core: 2-D convolution of an image with a
# small filter (the flipped filter times the window), written into result. Returns its sum.
def filter2d(image, filt, result):
    M, N = image.shape
    Mf, Nf = filt.shape
    Mf2 = Mf // 2
    Nf2 = Nf // 2
    for i in range(Mf2, M - Mf2):
        for j in range(Nf2, N - Nf2):
            num = 0.0
            for ii in range(Mf):
                for jj in range(Nf):
                    num += filt[Mf - 1 - ii, Nf - 1 - jj] * image[i - Mf2 + ii, j - Nf2 + jj]
            result[i, j] = num
    return total2(result)
""",
    f"({RNG}(113).random((100, 100)), {RNG}(114).random((5, 5)), np.zeros((100, 100)))",
    f"({RNG}(113).random((8, 8)), {RNG}(114).random((3, 3)), np.zeros((8, 8)))",
)

add(
    "fbcorr",
    "image",
    """
# numba/numba-examples, legacy/fbcorr.py, fbcorr: filter-bank correlation, seven nested loops
# over 4-D image and filter arrays accumulating into a 4-D output (zeroed first). Returns a
# checksum.
def fbcorr(imgs, filters, output):
    n_imgs, n_rows, n_cols, n_channels = imgs.shape
    n_filters, height, width, n_ch2 = filters.shape
    for a in range(output.shape[0]):
        for b in range(output.shape[1]):
            for c in range(output.shape[2]):
                for d in range(output.shape[3]):
                    output[a, b, c, d] = 0.0
    for ii in range(n_imgs):
        for rr in range(n_rows - height + 1):
            for cc in range(n_cols - width + 1):
                for hh in range(height):
                    for ww in range(width):
                        for jj in range(n_channels):
                            for ff in range(n_filters):
                                imgval = imgs[ii, rr + hh, cc + ww, jj]
                                filterval = filters[ff, hh, ww, jj]
                                output[ii, ff, rr, cc] += imgval * filterval
    return total4(output)
""",
    f"({RNG}(115).standard_normal((6, 12, 12, 3)), {RNG}(116).standard_normal((6, 3, 3, 3)), np.zeros((6, 6, 10, 10)))",
    f"({RNG}(115).standard_normal((1, 4, 4, 2)), {RNG}(116).standard_normal((2, 2, 2, 2)), np.zeros((1, 2, 3, 3)))",
)

add(
    "lj_potential",
    "n-body",
    """
# numba/numba-examples, examples/physics/lennard_jones/numba_scalar_impl.py: the Lennard-Jones
# energy of a cluster over all pairs, with helpers on rows (views) of the cluster:
# `(dx*dx + dy*dy + dz*dz) ** 0.5` and `(1.0 / r) ** 6` are `pow` calls in the loop. Numba
# computes `x ** 6` (an integer literal exponent) by repeated multiplication, which is not
# CPython's `pow` and differs in the last bits (tagged NUMBA_INEXACT; stickyjit keeps `pow`).
def lj_numba_scalar(r):
    sr6 = (1.0 / r) ** 6
    pot = 4.0 * (sr6 * sr6 - sr6)
    return pot


def distance_numba_scalar(atom1, atom2):
    dx = atom2[0] - atom1[0]
    dy = atom2[1] - atom1[1]
    dz = atom2[2] - atom1[2]
    r = (dx * dx + dy * dy + dz * dz) ** 0.5
    return r


def lj_potential(cluster):
    energy = 0.0
    for i in range(len(cluster) - 1):
        for j in range(i + 1, len(cluster)):
            r = distance_numba_scalar(cluster[i], cluster[j])
            e = lj_numba_scalar(r)
            energy += e
    return energy
""",
    f"({RNG}(117).uniform(0.0, 10.0, (300, 3)),)",
    f"({RNG}(117).uniform(0.0, 10.0, (8, 3)),)",
    tags=(NUMBA_INEXACT,),
)

add(
    "histogram_bins",
    "histogram",
    """
# numba/numba-examples, examples/density_estimation/histogram/impl.py, get_bin_edges /
# compute_bin / numba_histogram: uniform bin edges from the data's min and max, then each value's
# bin by a float division. compute_bin returns -1 where the original returns None (an optional
# int is not compiled yet); a.flat is a loop over a 1-D array. Returns a checksum of hist.
def get_bin_edges(a, bins):
    bin_edges = np.zeros((bins + 1,), dtype=np.float64)
    a_min = a.min()
    a_max = a.max()
    delta = (a_max - a_min) / bins
    for i in range(bin_edges.shape[0]):
        bin_edges[i] = a_min + i * delta
    bin_edges[-1] = a_max
    return bin_edges


def compute_bin(x, bin_edges):
    n = bin_edges.shape[0] - 1
    a_min = bin_edges[0]
    a_max = bin_edges[-1]
    if x == a_max:
        return n - 1
    bin = int(n * (x - a_min) / (a_max - a_min))
    if bin < 0 or bin >= n:
        return -1
    else:
        return bin


def histogram_bins(a, bins):
    hist = np.zeros((bins,), dtype=np.int64)
    bin_edges = get_bin_edges(a, bins)
    for x in a:
        bin = compute_bin(x, bin_edges)
        if bin >= 0:
            hist[bin] += 1
    t = 0
    for i in range(bins):
        t += hist[i] * (i + 1)
    return t
""",
    f"({RNG}(118).normal(0.0, 5.0, 150_000), 100)",
    f"({RNG}(118).normal(0.0, 5.0, 50), 7)",
)

add(
    "kde",
    "math calls",
    """
# numba/numba-examples, examples/density_estimation/kernel/impl.py, gaussian / numba_kde: a
# Gaussian kernel density estimate at each evaluation point (`x ** 2`, exp, a division by the
# bandwidth, sqrt(2 pi) constant). zip(samples, bandwidths) is an index loop. Returns the sum.
def gaussian(x):
    return math.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)


def kde(eval_points, samples, bandwidths):
    result = np.zeros_like(eval_points)
    for i in range(len(eval_points)):
        eval_x = eval_points[i]
        for k in range(len(samples)):
            result[i] += gaussian((eval_x - samples[k]) / bandwidths[k]) / bandwidths[k]
        result[i] /= len(samples)
    return total1(result)
""",
    f"({RNG}(119).normal(0.0, 5.0, 300), {RNG}(120).normal(0.0, 5.0, 300), np.full(300, 1.06 * 300**0.2 * 5.0))",
    f"({RNG}(119).normal(0.0, 5.0, 7), {RNG}(120).normal(0.0, 5.0, 9), np.full(9, 1.06 * 9**0.2 * 5.0))",
)

add(
    "blackscholes",
    "math calls",
    """
# numba/numba-examples, examples/finance/blackscholes/blackscholes_numba.py, cnd_numba /
# black_scholes_numba: European call and put prices with the polynomial normal CDF. Writes into
# the two result arrays passed in (the original allocates and returns them); returns a checksum.
def cnd_numba(d):
    A1 = 0.31938153
    A2 = -0.356563782
    A3 = 1.781477937
    A4 = -1.821255978
    A5 = 1.330274429
    RSQRT2PI = 0.39894228040143267793994605993438
    K = 1.0 / (1.0 + 0.2316419 * math.fabs(d))
    ret_val = RSQRT2PI * math.exp(-0.5 * d * d) * (K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5)))))
    if d > 0:
        ret_val = 1.0 - ret_val
    return ret_val


def blackscholes(S, X, T, R, V, callResult, putResult):
    for i in range(len(S)):
        sqrtT = math.sqrt(T[i])
        d1 = (math.log(S[i] / X[i]) + (R + 0.5 * V * V) * T[i]) / (V * sqrtT)
        d2 = d1 - V * sqrtT
        cndd1 = cnd_numba(d1)
        cndd2 = cnd_numba(d2)
        expRT = math.exp((-1.0 * R) * T[i])
        callResult[i] = S[i] * cndd1 - X[i] * expRT * cndd2
        putResult[i] = X[i] * expRT * (1.0 - cndd2) - S[i] * (1.0 - cndd1)
    return total1(callResult) + 2.0 * total1(putResult)
""",
    f"({RNG}(121).uniform(5.0, 30.0, 40_000), {RNG}(122).uniform(1.0, 100.0, 40_000), {RNG}(123).uniform(0.25, 10.0, 40_000), 0.02, 0.30, np.zeros(40_000), np.zeros(40_000))",
    f"({RNG}(121).uniform(5.0, 30.0, 9), {RNG}(122).uniform(1.0, 100.0, 9), {RNG}(123).uniform(0.25, 10.0, 9), 0.02, 0.30, np.zeros(9), np.zeros(9))",
)

add(
    "zero_suppression",
    "elementwise",
    """
# numba/numba-examples, examples/waveforms/zero_suppression/impl.py, numba_zero_suppression: a
# ufunc there (values below the threshold in magnitude become 0), a loop over the array here,
# into out. Returns out's sum.
def zero_suppression(values, threshold, out):
    for i in range(values.shape[0]):
        if abs(values[i]) >= threshold:
            out[i] = values[i]
        else:
            out[i] = 0.0
    return total1(out)
""",
    f"({RNG}(124).normal(0.0, 5.0, 300_000), 8.0, np.zeros(300_000))",
    f"({RNG}(124).normal(0.0, 5.0, 30), 8.0, np.zeros(30))",
)

add(
    "sum2d",
    "reduction",
    """
# numba/numba-examples, legacy/sum.py, sum2d: the sum of a 2-D array by two loops.
def sum2d(arr):
    M, N = arr.shape
    result = 0.0
    for i in range(M):
        for j in range(N):
            result += arr[i, j]
    return result
""",
    f"({RNG}(125).standard_normal((800, 800)),)",
    f"({RNG}(125).standard_normal((5, 6)),)",
)

# ---------------------------------------------------------------------------------------------
# Numba's documentation and library code (numba/numba)

add(
    "ident_loops",
    "math calls",
    """
# numba/numba, docs/source/user/performance-tips.rst, ident_loops: cos(x)**2 + sin(x)**2 per
# element: sin and cos of the same value, each squared (`** 2`). Returns r's sum.
def ident_loops(x):
    r = np.empty_like(x)
    n = len(x)
    for i in range(n):
        r[i] = math.cos(x[i]) ** 2 + math.sin(x[i]) ** 2
    return total1(r)
""",
    f"({RNG}(126).uniform(-10.0, 10.0, 150_000),)",
    f"({RNG}(126).uniform(-10.0, 10.0, 20),)",
)

add(
    "do_sum_sqrt",
    "reduction",
    """
# numba/numba, docs/source/user/performance-tips.rst, do_sum (the fastmath example, without
# fastmath here): the sum of the square roots of the elements.
def do_sum_sqrt(A):
    acc = 0.0
    for x in A:
        acc += np.sqrt(x)
    return acc
""",
    f"({RNG}(127).random(300_000),)",
    f"({RNG}(127).random(30),)",
)

add(
    "go_fast",
    "math calls",
    """
# numba/numba, docs/source/user/5minguide.rst (and spcl/npbench, go_fast_numba_n.py), go_fast:
# the trace of tanh of the diagonal added to every element. a + trace is a loop into out; the
# scalar np.tanh is math.tanh. Returns out's sum.
def go_fast(a, out):
    trace = 0.0
    for i in range(a.shape[0]):
        trace += math.tanh(a[i, i])
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i, j] = a[i, j] + trace
    return total2(out)
""",
    f"({RNG}(128).random((500, 500)), np.zeros((500, 500)))",
    f"({RNG}(128).random((6, 6)), np.zeros((6, 6)))",
)

add(
    "nogil_exp",
    "math calls",
    """
# numba/numba, numba/tests/doc_examples/test_examples.py (docs user/examples.rst
# "Multi-threading"), inner_func_nb: result[i] = exp(2.1 * a[i] + 3.2 * b[i]). Returns the sum.
def nogil_exp(result, a, b):
    for i in range(len(result)):
        result[i] = math.exp(2.1 * a[i] + 3.2 * b[i])
    return total1(result)
""",
    f"(np.zeros(250_000), {RNG}(129).random(250_000), {RNG}(130).random(250_000))",
    f"(np.zeros(20), {RNG}(129).random(20), {RNG}(130).random(20))",
)

add(
    "quicksort",
    "sorting",
    """
# numba/numba, numba/misc/quicksort.py (make_quicksort_impl: insertion_sort, partition,
# run_quicksort): Numba's own array sort. Median-of-three partition and insertion sort below a
# threshold; the explicit stack (a list there) is an int64 array; the element swaps are a small
# helper swap(a, i, j) called in the loops. Sorts a copy of src; returns a checksum.
SMALL_QUICKSORT = 15


def swap(A, i, j):
    t = A[i]
    A[i] = A[j]
    A[j] = t


def insertion_sort(A, low, high):
    for i in range(low + 1, high + 1):
        v = A[i]
        j = i
        while j > low and v < A[j - 1]:
            A[j] = A[j - 1]
            j -= 1
        A[j] = v


def partition(A, low, high):
    mid = (low + high) >> 1
    if A[mid] < A[low]:
        swap(A, low, mid)
    if A[high] < A[mid]:
        swap(A, high, mid)
    if A[mid] < A[low]:
        swap(A, low, mid)
    pivot = A[mid]
    swap(A, high, mid)
    i = low
    j = high - 1
    while True:
        while i < high and A[i] < pivot:
            i += 1
        while j >= low and pivot < A[j]:
            j -= 1
        if i >= j:
            break
        swap(A, i, j)
        i += 1
        j -= 1
    swap(A, i, high)
    return i


def quicksort(src, A, stack):
    n = len(src)
    for i in range(n):
        A[i] = src[i]
    top = 0
    stack[0] = 0
    stack[1] = n - 1
    top = 2
    while top > 0:
        top -= 2
        low = stack[top]
        high = stack[top + 1]
        while high - low >= SMALL_QUICKSORT:
            i = partition(A, low, high)
            if high - i > i - low:
                if high > i:
                    stack[top] = i + 1
                    stack[top + 1] = high
                    top += 2
                high = i - 1
            else:
                if i > low:
                    stack[top] = low
                    stack[top + 1] = i - 1
                    top += 2
                low = i + 1
        insertion_sort(A, low, high)
    s = 0.0
    for i in range(0, n, 97):
        s += A[i] * i
    return s
""",
    f"({RNG}(131).random(30_000), np.zeros(30_000), np.zeros(200, dtype=np.int64))",
    f"({RNG}(131).random(60), np.zeros(60), np.zeros(40, dtype=np.int64))",
)

add(
    "cumsum",
    "prefix sum",
    """
# numba/numba, numba/np/arraymath.py, array_cumsum: the running sum of the elements into out
# (c += v; out[i] = c). Returns out's last element plus its middle one.
def cumsum(arr, out):
    c = 0.0
    for i in range(arr.shape[0]):
        c += arr[i]
        out[i] = c
    return out[-1] + out[arr.shape[0] // 2]
""",
    f"({RNG}(132).random(500_000), np.zeros(500_000))",
    f"({RNG}(132).random(30), np.zeros(30))",
)

# ---------------------------------------------------------------------------------------------
# numbagg (shoyer/numbagg), as benchmarked in numba/numba-benchmark, benchmarks/bench_numbagg.py

add(
    "nanmean",
    "reduction",
    """
# numba/numba-benchmark, benchmarks/bench_numbagg.py (from shoyer/numbagg), nanmean: the mean
# of the elements that are not NaN (a.flat over a 2-D array: two loops here; np.isnan of a scalar
# is math.isnan).
def nanmean(a):
    asum = 0.0
    count = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            ai = a[i, j]
            if not math.isnan(ai):
                asum += ai
                count += 1
    if count > 0:
        return asum / count
    else:
        return np.nan
""",
    f"(np.where({RNG}(133).random((400, 1200)) < 0.15, np.nan, {RNG}(134).standard_normal((400, 1200))),)",
    f"(np.where({RNG}(133).random((4, 7)) < 0.15, np.nan, {RNG}(134).standard_normal((4, 7))),)",
)

add(
    "move_nanmean",
    "moving window",
    """
# numba/numba-benchmark, benchmarks/bench_numbagg.py (from shoyer/numbagg), move_nanmean: the
# running mean over a window skipping NaN (`ai == ai`), NaN until the window fills. A gufunc
# there, one row here. Returns the sum of out's non-NaN values.
def move_nanmean(a, window, out):
    asum = 0.0
    count = 0
    for i in range(window - 1):
        ai = a[i]
        if ai == ai:
            asum += ai
            count += 1
        out[i] = np.nan
    i = window - 1
    ai = a[i]
    if ai == ai:
        asum += ai
        count += 1
    if count > 0:
        out[i] = asum / count
    else:
        out[i] = np.nan
    for i in range(window, len(a)):
        ai = a[i]
        if ai == ai:
            asum += ai
            count += 1
        aold = a[i - window]
        if aold == aold:
            asum -= aold
            count -= 1
        if count > 0:
            out[i] = asum / count
        else:
            out[i] = np.nan
    s = 0.0
    for i in range(len(a)):
        if out[i] == out[i]:
            s += out[i]
    return s
""",
    f"(np.where({RNG}(135).random(200_000) < 0.2, np.nan, {RNG}(136).standard_normal(200_000)), 10, np.zeros(200_000))",
    f"(np.where({RNG}(135).random(30) < 0.2, np.nan, {RNG}(136).standard_normal(30)), 4, np.zeros(30))",
)

# ---------------------------------------------------------------------------------------------
# spcl/npbench (npbench/benchmarks/**/*_numba_n.py; the polybench kernels follow PolyBench/C)

add(
    "floyd_warshall",
    "graph (matrix)",
    """
# spcl/npbench, polybench/floyd_warshall/floyd_warshall_numba_n.py: all-pairs shortest paths,
# path[i, j] = min(path[i, j], path[i, k] + path[k, j]) (np.minimum over a row there). Works on a
# copy of src; returns the sum of the path lengths.
def floyd_warshall(src, path):
    n = path.shape[0]
    for i in range(n):
        for j in range(n):
            path[i, j] = src[i, j]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                path[i, j] = min(path[i, j], path[i, k] + path[k, j])
    return path.sum()
""",
    f"({RNG}(201).integers(1, 1000, (60, 60)), np.zeros((60, 60), dtype=np.int64))",
    f"({RNG}(201).integers(1, 1000, (7, 7)), np.zeros((7, 7), dtype=np.int64))",
)

add(
    "jacobi_1d",
    "stencil",
    """
# spcl/npbench, polybench/jacobi_1d/jacobi_1d_numba_n.py: 1-D Jacobi sweeps between A and B,
# 0.33333 * (A[i - 1] + A[i] + A[i + 1]). Starts from a copy of src; returns A's sum.
def jacobi_1d(TSTEPS, src, A, B):
    n = A.shape[0]
    for i in range(n):
        A[i] = src[i]
        B[i] = src[i]
    for t in range(1, TSTEPS):
        for i in range(1, n - 1):
            B[i] = 0.33333 * (A[i - 1] + A[i] + A[i + 1])
        for i in range(1, n - 1):
            A[i] = 0.33333 * (B[i - 1] + B[i] + B[i + 1])
    return total1(A)
""",
    f"(30, {RNG}(202).random(4000), np.zeros(4000), np.zeros(4000))",
    f"(4, {RNG}(202).random(20), np.zeros(20), np.zeros(20))",
)

add(
    "jacobi_2d",
    "stencil",
    """
# spcl/npbench, polybench/jacobi_2d/jacobi_2d_numba_n.py: 2-D five-point Jacobi sweeps between A
# and B. Starts from a copy of src; returns A's sum.
def jacobi_2d(TSTEPS, src, A, B):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            A[i, j] = src[i, j]
            B[i, j] = src[i, j]
    for t in range(1, TSTEPS):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                B[i, j] = 0.2 * (A[i, j] + A[i, j - 1] + A[i, j + 1] + A[i + 1, j] + A[i - 1, j])
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                A[i, j] = 0.2 * (B[i, j] + B[i, j - 1] + B[i, j + 1] + B[i + 1, j] + B[i - 1, j])
    return total2(A)
""",
    f"(10, {RNG}(203).random((70, 70)), np.zeros((70, 70)), np.zeros((70, 70)))",
    f"(3, {RNG}(203).random((7, 7)), np.zeros((7, 7)), np.zeros((7, 7)))",
)

add(
    "seidel_2d",
    "stencil",
    """
# spcl/npbench, polybench/seidel_2d/seidel_2d_numba_n.py: Gauss-Seidel sweeps, each point the
# nine-point average of its neighbours in place, `/ 9.0` in the loop (npbench splits the sum into
# a row expression and a loop; this is PolyBench's loop). Returns A's sum.
def seidel_2d(TSTEPS, src, A):
    N = A.shape[0]
    for i in range(N):
        for j in range(N):
            A[i, j] = src[i, j]
    for t in range(0, TSTEPS - 1):
        for i in range(1, N - 1):
            for j in range(1, N - 1):
                A[i, j] = (
                    A[i - 1, j - 1]
                    + A[i - 1, j]
                    + A[i - 1, j + 1]
                    + A[i, j - 1]
                    + A[i, j]
                    + A[i, j + 1]
                    + A[i + 1, j - 1]
                    + A[i + 1, j]
                    + A[i + 1, j + 1]
                ) / 9.0
    return total2(A)
""",
    f"(16, {RNG}(204).random((60, 60)), np.zeros((60, 60)))",
    f"(3, {RNG}(204).random((6, 6)), np.zeros((6, 6)))",
)

add(
    "nussinov",
    "dynamic programming",
    """
# spcl/npbench, polybench/nussinov/nussinov_numba_n.py: RNA folding by dynamic programming over
# a triangular table of int64 (int32 there), with a small match(b1, b2) helper and max().
# Returns the optimum and a checksum of the table.
def match(b1, b2):
    if b1 + b2 == 3:
        return 1
    else:
        return 0


def nussinov(N, seq):
    table = np.zeros((N, N), dtype=np.int64)
    for i in range(N - 1, -1, -1):
        for j in range(i + 1, N):
            if j - 1 >= 0:
                table[i, j] = max(table[i, j], table[i, j - 1])
            if i + 1 < N:
                table[i, j] = max(table[i, j], table[i + 1, j])
            if j - 1 >= 0 and i + 1 < N:
                if i < j - 1:
                    table[i, j] = max(table[i, j], table[i + 1, j - 1] + match(seq[i], seq[j]))
                else:
                    table[i, j] = max(table[i, j], table[i + 1, j - 1])
            for k in range(i + 1, j):
                table[i, j] = max(table[i, j], table[i, k] + table[k + 1, j])
    return table[0, N - 1] * 1000003 + table.sum()
""",
    f"(90, {RNG}(205).integers(0, 4, 90))",
    f"(9, {RNG}(205).integers(0, 4, 9))",
)

add(
    "crc16",
    "integer arithmetic",
    """
# spcl/npbench, crc16/crc16_numba_n.py (from a public gist): CRC-16-CCITT over a byte array,
# bit by bit; `poly` is an omitted default argument (a constant). Loops over the array itself.
def crc16(data, poly=0x8408):
    crc = 0xFFFF
    for b in data:
        cur_byte = 0xFF & b
        for _ in range(0, 8):
            if (crc & 0x0001) ^ (cur_byte & 0x0001):
                crc = (crc >> 1) ^ poly
            else:
                crc >>= 1
            cur_byte >>= 1
    crc = ~crc & 0xFFFF
    crc = (crc << 8) | ((crc >> 8) & 0xFF)
    return crc & 0xFFFF
""",
    f"({RNG}(206).integers(0, 256, 40_000, dtype=np.uint8),)",
    f"({RNG}(206).integers(0, 256, 20, dtype=np.uint8),)",
)

add(
    "durbin",
    "linear algebra",
    """
# spcl/npbench, polybench/durbin/durbin_numba_n.py: Levinson-Durbin recursion for a Toeplitz
# system; np.dot(np.flip(r[:k]), y[:k]) and the flipped update are PolyBench's loops with a
# scratch z. Returns y's sum.
def durbin(r):
    n = r.shape[0]
    y = np.empty_like(r)
    z = np.empty_like(r)
    alpha = -r[0]
    beta = 1.0
    y[0] = -r[0]
    for k in range(1, n):
        beta = (1.0 - alpha * alpha) * beta
        s = 0.0
        for i in range(k):
            s += r[k - i - 1] * y[i]
        alpha = -(r[k] + s) / beta
        for i in range(k):
            z[i] = y[i] + alpha * y[k - i - 1]
        for i in range(k):
            y[i] = z[i]
        y[k] = alpha
    return total1(y)
""",
    f"({RNG}(207).random(550) * 0.01,)",
    f"({RNG}(207).random(10) * 0.01,)",
)

add(
    "trisolv",
    "linear algebra",
    """
# spcl/npbench, polybench/trisolv/trisolv_numba_n.py: forward substitution for a lower triangular
# L; `L[i, :i] @ x[:i]` is a loop, then a division by the diagonal. Returns x's sum.
def trisolv(L, x, b, reps):
    n = x.shape[0]
    for _ in range(reps):
        for i in range(n):
            x[i] = b[i]
            for j in range(i):
                x[i] -= L[i, j] * x[j]
            x[i] = x[i] / L[i, i]
    return total1(x)
""",
    f"(np.tril({RNG}(208).random((200, 200))) + 200.0 * np.eye(200), np.zeros(200), {RNG}(209).random(200), 16)",
    f"(np.tril({RNG}(208).random((6, 6))) + 6.0 * np.eye(6), np.zeros(6), {RNG}(209).random(6), 2)",
)

add(
    "cholesky",
    "linear algebra",
    """
# spcl/npbench, polybench/cholesky/cholesky_numba_n.py: in-place Cholesky factorization (the
# np.dot of row slices as loops, a division by the diagonal, np.sqrt). On a copy of a symmetric
# positive definite src; returns the factor's lower triangle's sum.
def cholesky(src, A):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            A[i, j] = src[i, j]
    A[0, 0] = np.sqrt(A[0, 0])
    for i in range(1, n):
        for j in range(i):
            for k in range(j):
                A[i, j] -= A[i, k] * A[j, k]
            A[i, j] /= A[j, j]
        for k in range(i):
            A[i, i] -= A[i, k] * A[i, k]
        A[i, i] = np.sqrt(A[i, i])
    s = 0.0
    for i in range(n):
        for j in range(i + 1):
            s += A[i, j]
    return s
""",
    "((lambda m: m @ m.T + 120.0 * np.eye(120))(" + RNG + "(210).random((120, 120))), np.zeros((120, 120)))",
    "((lambda m: m @ m.T + 6.0 * np.eye(6))(" + RNG + "(210).random((6, 6))), np.zeros((6, 6)))",
)

add(
    "lu",
    "linear algebra",
    """
# spcl/npbench, polybench/lu/lu_numba_n.py: in-place LU decomposition without pivoting (the
# row-times-column products as loops, a division by the pivot). On a copy of a diagonally
# dominant src; returns A's sum.
def lu(src, A):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            A[i, j] = src[i, j]
    for i in range(n):
        for j in range(i):
            for k in range(j):
                A[i, j] -= A[i, k] * A[k, j]
            A[i, j] /= A[j, j]
        for j in range(i, n):
            for k in range(i):
                A[i, j] -= A[i, k] * A[k, j]
    return total2(A)
""",
    f"({RNG}(211).random((90, 90)) + 90.0 * np.eye(90), np.zeros((90, 90)))",
    f"({RNG}(211).random((6, 6)) + 6.0 * np.eye(6), np.zeros((6, 6)))",
)

add(
    "gemm",
    "linear algebra",
    """
# spcl/npbench, polybench/gemm/gemm_numba_n.py: C = alpha * A @ B + beta * C, PolyBench's loops
# (C scaled by beta, then alpha * A[i, k] * B[k, j] added). On a copy of C0; returns C's sum.
def gemm(alpha, beta, C0, C, A, B):
    ni, nj = C.shape
    nk = A.shape[1]
    for i in range(ni):
        for j in range(nj):
            C[i, j] = C0[i, j] * beta
        for k in range(nk):
            for j in range(nj):
                C[i, j] += alpha * A[i, k] * B[k, j]
    return total2(C)
""",
    f"(1.5, 1.2, {RNG}(212).random((50, 55)), np.zeros((50, 55)), {RNG}(213).random((50, 60)), {RNG}(214).random((60, 55)))",
    f"(1.5, 1.2, {RNG}(212).random((4, 5)), np.zeros((4, 5)), {RNG}(213).random((4, 6)), {RNG}(214).random((6, 5)))",
)

add(
    "covariance",
    "statistics",
    """
# spcl/npbench, polybench/covariance/covariance_numba_n.py: column means (a division by float_n
# in the loop), centering in place, then the symmetric covariance matrix divided by
# float_n - 1.0. On a copy of src; returns cov's sum.
def covariance(M, float_n, src, data):
    N = data.shape[0]
    for i in range(N):
        for j in range(M):
            data[i, j] = src[i, j]
    mean = np.zeros(M)
    for j in range(M):
        for i in range(N):
            mean[j] += data[i, j]
        mean[j] /= float_n
    for i in range(N):
        for j in range(M):
            data[i, j] -= mean[j]
    cov = np.zeros((M, M))
    for i in range(M):
        for j in range(i, M):
            s = 0.0
            for k in range(N):
                s += data[k, i] * data[k, j]
            cov[i, j] = s / (float_n - 1.0)
            cov[j, i] = cov[i, j]
    return total2(cov)
""",
    f"(70, 100.0, {RNG}(215).random((100, 70)), np.zeros((100, 70)))",
    f"(4, 5.0, {RNG}(215).random((5, 4)), np.zeros((5, 4)))",
)

add(
    "heat_3d",
    "stencil",
    """
# spcl/npbench, polybench/heat_3d/heat_3d_numba_n.py: the 3-D heat equation, seven-point
# stencil sweeps between A and B (0.125 * (a[i + 1] - 2.0 * a[i] + a[i - 1]) on each axis). On a
# copy of src; returns A's sum.
def heat_3d(TSTEPS, src, A, B):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            for k in range(n):
                A[i, j, k] = src[i, j, k]
                B[i, j, k] = src[i, j, k]
    for t in range(1, TSTEPS):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                for k in range(1, n - 1):
                    B[i, j, k] = (
                        0.125 * (A[i + 1, j, k] - 2.0 * A[i, j, k] + A[i - 1, j, k])
                        + 0.125 * (A[i, j + 1, k] - 2.0 * A[i, j, k] + A[i, j - 1, k])
                        + 0.125 * (A[i, j, k + 1] - 2.0 * A[i, j, k] + A[i, j, k - 1])
                        + A[i, j, k]
                    )
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                for k in range(1, n - 1):
                    A[i, j, k] = (
                        0.125 * (B[i + 1, j, k] - 2.0 * B[i, j, k] + B[i - 1, j, k])
                        + 0.125 * (B[i, j + 1, k] - 2.0 * B[i, j, k] + B[i, j - 1, k])
                        + 0.125 * (B[i, j, k + 1] - 2.0 * B[i, j, k] + B[i, j, k - 1])
                        + B[i, j, k]
                    )
    return total3(A)
""",
    f"(4, {RNG}(216).random((20, 20, 20)), np.zeros((20, 20, 20)), np.zeros((20, 20, 20)))",
    f"(3, {RNG}(216).random((5, 5, 5)), np.zeros((5, 5, 5)), np.zeros((5, 5, 5)))",
)

add(
    "arc_distance",
    "math calls",
    """
# spcl/npbench, pythran/arc_distance/arc_distance_numba_n.py (from Pythran's benchmarks): the
# great-circle distance between paired points: sin(...) ** 2, cos of both latitudes, atan2 of
# square roots; an array expression there, a loop here. Returns the distances' sum.
def arc_distance(theta_1, phi_1, theta_2, phi_2):
    s = 0.0
    for i in range(theta_1.shape[0]):
        temp = (
            math.sin((theta_2[i] - theta_1[i]) / 2) ** 2
            + math.cos(theta_1[i]) * math.cos(theta_2[i]) * math.sin((phi_2[i] - phi_1[i]) / 2) ** 2
        )
        s += 2 * math.atan2(math.sqrt(temp), math.sqrt(1 - temp))
    return s
""",
    f"({RNG}(217).random(80_000), {RNG}(218).random(80_000), {RNG}(219).random(80_000), {RNG}(220).random(80_000))",
    f"({RNG}(217).random(9), {RNG}(218).random(9), {RNG}(219).random(9), {RNG}(220).random(9))",
)

add(
    "spmv",
    "sparse",
    """
# spcl/npbench, spmv/spmv_numba_n.py: y = A x for A in CSR form; the row's `vals @ x[cols]` is a
# loop over the row's range with indirect indexing. Returns y's sum.
def spmv(A_row, A_col, A_val, x):
    y = np.empty(A_row.size - 1)
    for i in range(A_row.size - 1):
        s = 0.0
        for k in range(A_row[i], A_row[i + 1]):
            s += A_val[k] * x[A_col[k]]
        y[i] = s
    return total1(y)
""",
    f"(np.arange(0, 350_001, 20), {RNG}(221).integers(0, 5000, 350_000), {RNG}(222).random(350_000), {RNG}(223).random(5000))",
    f"(np.arange(0, 31, 3), {RNG}(221).integers(0, 12, 30), {RNG}(222).random(30), {RNG}(223).random(12))",
)

add(
    "vadv",
    "recurrence",
    """
# spcl/npbench, weather_stencils/vadv/vadv_numba_n.py (from GridTools gt4py): vertical advection,
# a Thomas-algorithm tridiagonal solve per column: a forward sweep (divisions, each level from
# the one below: ccol[k - 1], dcol[k - 1]) and a back substitution. The per-level array
# expressions are loops over i, j. Writes utens_stage (from a copy of utens_stage0); returns its sum.
BET_M = 0.5
BET_P = 0.5


def vadv(utens_stage0, utens_stage, u_stage, wcon, u_pos, utens, dtr_stage):
    I, J, K = utens_stage.shape
    for i in range(I):
        for j in range(J):
            for k in range(K):
                utens_stage[i, j, k] = utens_stage0[i, j, k]
    ccol = np.empty((I, J, K))
    dcol = np.empty((I, J, K))
    for i in range(I):
        for j in range(J):
            gcv = 0.25 * (wcon[i + 1, j, 1] + wcon[i, j, 1])
            cs = gcv * BET_M
            ccol[i, j, 0] = gcv * BET_P
            bcol = dtr_stage - ccol[i, j, 0]
            correction_term = -cs * (u_stage[i, j, 1] - u_stage[i, j, 0])
            dcol[i, j, 0] = dtr_stage * u_pos[i, j, 0] + utens[i, j, 0] + utens_stage[i, j, 0] + correction_term
            divided = 1.0 / bcol
            ccol[i, j, 0] = ccol[i, j, 0] * divided
            dcol[i, j, 0] = dcol[i, j, 0] * divided
            for k in range(1, K - 1):
                gav = -0.25 * (wcon[i + 1, j, k] + wcon[i, j, k])
                gcv = 0.25 * (wcon[i + 1, j, k + 1] + wcon[i, j, k + 1])
                as_ = gav * BET_M
                cs = gcv * BET_M
                acol = gav * BET_P
                ccol[i, j, k] = gcv * BET_P
                bcol = dtr_stage - acol - ccol[i, j, k]
                correction_term = -as_ * (u_stage[i, j, k - 1] - u_stage[i, j, k]) - cs * (
                    u_stage[i, j, k + 1] - u_stage[i, j, k]
                )
                dcol[i, j, k] = dtr_stage * u_pos[i, j, k] + utens[i, j, k] + utens_stage[i, j, k] + correction_term
                divided = 1.0 / (bcol - ccol[i, j, k - 1] * acol)
                ccol[i, j, k] = ccol[i, j, k] * divided
                dcol[i, j, k] = (dcol[i, j, k] - dcol[i, j, k - 1] * acol) * divided
            k = K - 1
            gav = -0.25 * (wcon[i + 1, j, k] + wcon[i, j, k])
            as_ = gav * BET_M
            acol = gav * BET_P
            bcol = dtr_stage - acol
            correction_term = -as_ * (u_stage[i, j, k - 1] - u_stage[i, j, k])
            dcol[i, j, k] = dtr_stage * u_pos[i, j, k] + utens[i, j, k] + utens_stage[i, j, k] + correction_term
            divided = 1.0 / (bcol - ccol[i, j, k - 1] * acol)
            dcol[i, j, k] = (dcol[i, j, k] - dcol[i, j, k - 1] * acol) * divided
            data_col = dcol[i, j, K - 1]
            utens_stage[i, j, K - 1] = dtr_stage * (data_col - u_pos[i, j, K - 1])
            for k in range(K - 2, -1, -1):
                data_col = dcol[i, j, k] - ccol[i, j, k] * data_col
                utens_stage[i, j, k] = dtr_stage * (data_col - u_pos[i, j, k])
    return total3(utens_stage)
""",
    f"({RNG}(233).random((22, 22, 40)), np.zeros((22, 22, 40)), {RNG}(224).random((22, 22, 40)), {RNG}(225).random((23, 22, 40)), {RNG}(226).random((22, 22, 40)), {RNG}(227).random((22, 22, 40)), 3.0)",
    f"({RNG}(233).random((2, 3, 5)), np.zeros((2, 3, 5)), {RNG}(224).random((2, 3, 5)), {RNG}(225).random((3, 3, 5)), {RNG}(226).random((2, 3, 5)), {RNG}(227).random((2, 3, 5)), 3.0)",
)

add(
    "pressure_poisson",
    "stencil",
    """
# spcl/npbench, cavity_flow/cavity_flow_numba_n.py, pressure_poisson (from "12 steps to
# Navier-Stokes"): Jacobi iterations of the pressure Poisson equation with `dx ** 2` and
# `dy ** 2` loop-invariant inside the loop nest, then the boundary conditions. The array
# expressions are loops over a copy pn. On a copy of p0; returns p's sum.
def pressure_poisson(nit, p0, p, pn, dx, dy, b):
    ny, nx = p.shape
    for i in range(ny):
        for j in range(nx):
            p[i, j] = p0[i, j]
    for q in range(nit):
        for i in range(ny):
            for j in range(nx):
                pn[i, j] = p[i, j]
        for i in range(1, ny - 1):
            for j in range(1, nx - 1):
                p[i, j] = (
                    (pn[i, j + 1] + pn[i, j - 1]) * dy**2 + (pn[i + 1, j] + pn[i - 1, j]) * dx**2
                ) / (2 * (dx**2 + dy**2)) - dx**2 * dy**2 / (2 * (dx**2 + dy**2)) * b[i, j]
        for i in range(ny):
            p[i, nx - 1] = p[i, nx - 2]
        for j in range(nx):
            p[0, j] = p[1, j]
        for i in range(ny):
            p[i, 0] = p[i, 1]
        for j in range(nx):
            p[ny - 1, j] = 0.0
    return total2(p)
""",
    f"(40, {RNG}(228).random((41, 41)), np.zeros((41, 41)), np.zeros((41, 41)), 0.05, 0.05, {RNG}(229).random((41, 41)))",
    f"(3, {RNG}(228).random((6, 6)), np.zeros((6, 6)), np.zeros((6, 6)), 0.05, 0.05, {RNG}(229).random((6, 6)))",
)

add(
    "softmax",
    "math calls",
    """
# spcl/npbench, deep_learning/softmax/softmax_numba_n.py: a numerically stable softmax along
# the last axis (row max, exp of the difference, division by the row sum), written as loops over
# a 2-D array into out. Returns out's weighted sum.
def softmax(x, out):
    n, m = x.shape
    for i in range(n):
        mx = x[i, 0]
        for j in range(1, m):
            mx = max(mx, x[i, j])
        s = 0.0
        for j in range(m):
            out[i, j] = math.exp(x[i, j] - mx)
            s += out[i, j]
        for j in range(m):
            out[i, j] = out[i, j] / s
    t = 0.0
    for i in range(n):
        for j in range(m):
            t += out[i, j] * j
    return t
""",
    f"({RNG}(230).standard_normal((300, 256)), np.zeros((300, 256)))",
    f"({RNG}(230).standard_normal((3, 8)), np.zeros((3, 8)))",
)

add(
    "clip_compute",
    "elementwise",
    """
# spcl/npbench, compute/compute_numba_n.py (from Cython's NumPy tutorial): clip(a1, 2, 10) * a +
# a2 * b + c per element, integers; np.minimum(np.maximum(...)) is min/max in a loop. Returns the
# result's sum.
def clip_compute(array_1, array_2, a, b, c):
    n, m = array_1.shape
    t = 0
    for i in range(n):
        for j in range(m):
            t += min(max(array_1[i, j], 2), 10) * a + array_2[i, j] * b + c
    return t
""",
    f"({RNG}(231).integers(0, 20, (300, 400)), {RNG}(232).integers(0, 20, (300, 400)), 4, 3, 9)",
    f"({RNG}(231).integers(0, 20, (5, 6)), {RNG}(232).integers(0, 20, (5, 6)), 4, 3, 9)",
)

# ---------------------------------------------------------------------------------------------
# QuantEcon: the lectures (QuantEcon/lecture-python-programming.myst,
# QuantEcon/lecture-python.myst) and the library they use (QuantEcon/QuantEcon.py)

add(
    "quadratic_map",
    "recurrence",
    """
# QuantEcon/lecture-python-programming.myst, lectures/numba.md, qm: the quadratic map
# x[t + 1] = alpha * x[t] * (1 - x[t]) (alpha = 4.0, a module global: a constant). Returns a
# checksum of the trajectory.
alpha = 4.0


def quadratic_map(x0, n):
    x = np.empty(n + 1)
    x[0] = x0
    for t in range(n):
        x[t + 1] = alpha * x[t] * (1 - x[t])
    return total1(x)
""",
    "(0.1, 300_000)",
    "(0.1, 30)",
)

add(
    "ar1_path",
    "recurrence",
    """
# QuantEcon/lecture-python-programming.myst, lectures/python_by_example.md (exercise pbe_ex1 and
# its |x| variant): x[t + 1] = alpha * |x[t]| + shock, the shocks np.random.randn() drawn by
# setup. Returns the path's sum.
def ar1_path(alpha, shocks):
    T = shocks.shape[0]
    x = np.empty(T + 1)
    x[0] = 0.0
    for t in range(T):
        x[t + 1] = alpha * abs(x[t]) + shocks[t]
    return total1(x)
""",
    f"(0.9, {RNG}(301).standard_normal(300_000))",
    f"(0.9, {RNG}(301).standard_normal(30))",
)

add(
    "long_run_wealth",
    "recurrence",
    """
# QuantEcon/lecture-python-programming.myst, lectures/numba.md ("Multithreaded loops"), h and
# compute_long_run_median: household wealth w = R * s * w + y with lognormal R and y, from w0
# for T periods, for each household; h's parameters are omitted defaults (constants). The
# normal draws are passed in; the result is the households' mean (np.median is not compiled;
# obs.mean() would sum pairwise in CPython: total1).
def h(w, z1, z2, r=0.1, s=0.3, v1=0.1, v2=1.0):
    R = math.exp(v1 * z1) * (1 + r)
    y = math.exp(v2 * z2)
    w = R * s * w + y
    return w


def long_run_wealth(w0, T, draws):
    num_reps = draws.shape[0]
    obs = np.empty(num_reps)
    for i in range(num_reps):
        w = w0
        for t in range(T):
            w = h(w, draws[i, t, 0], draws[i, t, 1])
        obs[i] = w
    return total1(obs) / num_reps
""",
    f"(1.0, 100, {RNG}(302).standard_normal((1200, 100, 2)))",
    f"(1.0, 5, {RNG}(302).standard_normal((4, 5, 2)))",
)

add(
    "calculate_pi",
    "monte carlo (draws passed in)",
    """
# QuantEcon/lecture-python-programming.myst, lectures/numba.md (exercise speed_ex1),
# calculate_pi: the share of uniform points in the unit square within 0.5 of its centre, times
# 4: `(u - 0.5) ** 2` and a float division by n. The uniforms are passed in.
def calculate_pi(us, vs):
    n = us.shape[0]
    count = 0
    for i in range(n):
        u, v = us[i], vs[i]
        d = np.sqrt((u - 0.5) ** 2 + (v - 0.5) ** 2)
        if d < 0.5:
            count += 1
    area_estimate = count / n
    return area_estimate * 4
""",
    f"({RNG}(303).random(200_000), {RNG}(304).random(200_000))",
    f"({RNG}(303).random(30), {RNG}(304).random(30))",
)

add(
    "kesten_ts",
    "recurrence",
    """
# QuantEcon/lecture-python.myst, lectures/kesten_processes.md, kesten_ts: the Kesten process
# x[t + 1] = a * x[t] + b with lognormal a = exp(mu + sigma * z1) and b = exp(z2) (mu and sigma
# module globals); the normal draws are passed in. Returns the path's sum.
mu = -0.5
sigma = 1.0


def kesten_ts(draws):
    ts_length = draws.shape[0] + 1
    x = np.zeros(ts_length)
    for t in range(ts_length - 1):
        a = math.exp(mu + sigma * draws[t, 0])
        b = math.exp(draws[t, 1])
        x[t + 1] = a * x[t] + b
    return total1(x)
""",
    f"({RNG}(305).standard_normal((200_000, 2)),)",
    f"({RNG}(305).standard_normal((30, 2)),)",
)

add(
    "garch_ts",
    "recurrence",
    """
# QuantEcon/lecture-python.myst, lectures/kesten_processes.md (exercise solution), garch_ts: a
# GARCH(1, 1) path, sigma2 = alpha_0 + sigma2 * (alpha_1 * xi ** 2 + beta) and
# r[t] = sqrt(sigma2) * z (`xi ** 2` in the loop). The draws are passed in. Returns r's sum.
alpha_0 = 1e-5
alpha_1 = 0.1
beta = 0.9


def garch_ts(xis, zs):
    ts_length = xis.shape[0] + 1
    s2 = 0.0
    r = np.zeros(ts_length)
    for t in range(ts_length - 1):
        xi = xis[t]
        s2 = alpha_0 + s2 * (alpha_1 * xi**2 + beta)
        r[t] = np.sqrt(s2) * zs[t]
    return total1(r)
""",
    f"({RNG}(306).standard_normal(200_000), {RNG}(307).standard_normal(200_000))",
    f"({RNG}(306).standard_normal(30), {RNG}(307).standard_normal(30))",
)

add(
    "mccall_reservation",
    "fixed point",
    """
# QuantEcon/lecture-python.myst, lectures/mccall_model.md, compute_reservation_wage_two: the
# McCall model's continuation value by fixed-point iteration, s = max(w / (1 - beta), h) (the
# division by the invariant 1 - beta in the loop), h_next = c + beta * (s @ q), until the change
# is below tol. jax.lax.while_loop there, a while loop here. Returns the reservation wage.
def mccall_reservation(c, beta, w, q, tol, max_iter):
    n = w.shape[0]
    h = 0.0
    for j in range(n):
        h += w[j] * q[j]
    h = h / (1 - beta)
    i = 0
    error = tol + 1
    while i < max_iter and error > tol:
        s = 0.0
        for j in range(n):
            s += max(w[j] / (1 - beta), h) * q[j]
        h_next = c + beta * s
        error = abs(h_next - h)
        h = h_next
        i += 1
    return (1 - beta) * h
""",
    "(25.0, 0.999, np.linspace(10.0, 60.0, 500), (lambda q: q / q.sum())(np.linspace(1.0, 2.0, 500) ** 2), 1e-9, 500)",
    "(25.0, 0.99, np.linspace(10.0, 60.0, 11), (lambda q: q / q.sum())(np.linspace(1.0, 2.0, 11) ** 2), 1e-6, 50)",
)

add(
    "markov_paths",
    "monte carlo (draws passed in)",
    """
# QuantEcon/QuantEcon.py, quantecon/markov/core.py, _generate_sample_paths (with the binary
# search of quantecon/util/array.py, searchsorted, for np.searchsorted(side='right')): sample
# paths of a finite Markov chain from the rows' CDFs and uniform draws. Returns a checksum.
def searchsorted(a, v):
    lo = -1
    hi = len(a)
    while lo < hi - 1:
        m = (lo + hi) // 2
        if v < a[m]:
            hi = m
        else:
            lo = m
    return hi


def markov_paths(P_cdfs, init_states, random_values, out):
    num_reps, ts_length = out.shape
    n = P_cdfs.shape[0]
    for i in range(num_reps):
        out[i, 0] = init_states[i]
        for t in range(ts_length - 1):
            k = searchsorted(P_cdfs[out[i, t]], random_values[i, t])
            if k == n:
                k = n - 1
            out[i, t + 1] = k
    return out.sum()
""",
    f"((lambda p: np.cumsum(p / p.sum(axis=1)[:, None], axis=1))({RNG}(308).random((20, 20))), {RNG}(309).integers(0, 20, 300), {RNG}(310).random((300, 250)), np.zeros((300, 251), dtype=np.int64))",
    f"((lambda p: np.cumsum(p / p.sum(axis=1)[:, None], axis=1))({RNG}(308).random((4, 4))), {RNG}(309).integers(0, 4, 3), {RNG}(310).random((3, 6)), np.zeros((3, 7), dtype=np.int64))",
)

add(
    "gini",
    "statistics",
    """
# QuantEcon/QuantEcon.py, quantecon/_inequality.py, gini_coefficient: the Gini index from all
# pairwise absolute differences (prange there, range here); np.sum is total1.
def gini(y):
    n = len(y)
    i_sum = np.zeros(n)
    for i in range(n):
        for j in range(n):
            i_sum[i] += abs(y[i] - y[j])
    return total1(i_sum) / (2 * n * total1(y))
""",
    f"({RNG}(311).pareto(3.0, 500),)",
    f"({RNG}(311).pareto(3.0, 9),)",
)

add(
    "bisect_roots",
    "root finding",
    """
# QuantEcon/QuantEcon.py, quantecon/optimize/root_finding.py, bisect (with _bisect_interval):
# bisection with QuantEcon's stopping rule abs(dm) < xtol + rtol * abs(xm). The function is
# passed as an argument there (a first-class function); here it is a fixed jitted helper f, the
# root of x**3 - 2x - c for many c. Returns the sum of the roots.
def f(x, c):
    return x * x * x - 2.0 * x - c


def bisect(a, b, c, xtol, rtol, maxiter):
    xa = a * 1.0
    xb = b * 1.0
    fa = f(xa, c)
    fb = f(xb, c)
    if fa == 0:
        return a
    if fb == 0:
        return b
    dm = xb - xa
    root = 0.0
    for itr in range(maxiter):
        dm *= 0.5
        xm = xa + dm
        fm = f(xm, c)
        if fm * fa >= 0:
            xa = xm
        if fm == 0 or abs(dm) < xtol + rtol * abs(xm):
            root = xm
            break
    return root


def bisect_roots(cs):
    s = 0.0
    for i in range(cs.shape[0]):
        s += bisect(1.5, 10.0, cs[i], 2e-12, 8.881784197001252e-16, 100)
    return s
""",
    f"({RNG}(312).uniform(1.0, 50.0, 5000),)",
    f"({RNG}(312).uniform(1.0, 50.0, 5),)",
)

add(
    "newton_roots",
    "root finding",
    """
# QuantEcon/QuantEcon.py, quantecon/optimize/root_finding.py, newton: Newton's method with
# QuantEcon's stopping rule abs(p - p0) < tol; func and fprime are arguments there (first-class
# functions), fixed jitted helpers here: the root of x - c * cos(x) for many c (cos and sin of
# the same value). Returns the sum of the roots.
def func(x, c):
    return x - c * math.cos(x)


def fprime(x, c):
    return 1.0 + c * math.sin(x)


def newton(x0, c, tol, maxiter):
    p0 = 1.0 * x0
    p = p0
    for itr in range(maxiter):
        fval = func(p0, c)
        if fval == 0:
            p = p0
            break
        fder = fprime(p0, c)
        if fder == 0:
            p = p0
            break
        newton_step = fval / fder
        p = p0 - newton_step
        if abs(p - p0) < tol:
            break
        p0 = p
    return p


def newton_roots(cs):
    s = 0.0
    for i in range(cs.shape[0]):
        s += newton(0.5, cs[i], 1.48e-8, 50)
    return s
""",
    f"({RNG}(313).uniform(0.1, 0.9, 30_000),)",
    f"({RNG}(313).uniform(0.1, 0.9, 5),)",
)

add(
    "quad_trap_simp",
    "integration",
    """
# QuantEcon/QuantEcon.py, quantecon/quad.py, _qnwtrap1 and _qnwsimp1: trapezoid and Simpson
# nodes and weights on [a, b] (weights dx, halved at the ends; dx / 3 * (1, 4, 2, ..., 4, 1)),
# used to integrate exp(-x * x) * cos(x). np.linspace's nodes are a + i * dx here (np.linspace
# is not compiled), dx * np.ones(n) is np.full(n, dx). Returns the difference of the two integrals plus the trapezoid one.
def integrand(x):
    return math.exp(-x * x) * math.cos(x)


def quad_trap_simp(n, a, b, reps):
    total = 0.0
    for _ in range(reps):
        dx = (b - a) / (n - 1)
        w = np.full(n, dx)
        w[0] *= 0.5
        w[-1] *= 0.5
        trap = 0.0
        for i in range(n):
            trap += w[i] * integrand(a + i * dx)
        ws = np.empty(n)
        for i in range(n):
            ws[i] = 4.0 if i % 2 == 1 else 2.0
        ws[0] = 1.0
        ws[-1] = 1.0
        simp = 0.0
        for i in range(n):
            simp += (dx / 3.0) * ws[i] * integrand(a + i * dx)
        total += trap + (simp - trap) * 1000.0
    return total
""",
    "(20_001, -3.0, 3.0, 5)",
    "(11, -3.0, 3.0, 2)",
)

# ---------------------------------------------------------------------------------------------
# Dynamic programming on integer arrays

add(
    "edit_distance",
    "dynamic programming",
    """
# kwmsmith/scipy-2015-cython-tutorial, demo-exercises/arrays/01-levenshtein-arrays/levenshtein.py
# (the NumPy version of the tutorial's Levenshtein distance, the kind of loop Numba and Cython
# compile): the edit distance of two int arrays by dynamic programming over an (m + 1, n + 1)
# table (the first row and column are loops here). Returns the distance plus a table checksum.
def edit_distance(s, t):
    m = len(s)
    n = len(t)
    d = np.zeros((m + 1, n + 1), dtype=np.int64)
    for i in range(1, m + 1):
        d[i, 0] = i
    for j in range(1, n + 1):
        d[0, j] = j
    for j in range(1, n + 1):
        for i in range(1, m + 1):
            if s[i - 1] == t[j - 1]:
                d[i, j] = d[i - 1, j - 1]
            else:
                d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + 1)
    return d[m, n] * 1000 + d[m // 2, n // 2]
""",
    f"({RNG}(401).integers(0, 4, 300), {RNG}(402).integers(0, 4, 300))",
    f"({RNG}(401).integers(0, 4, 9), {RNG}(402).integers(0, 4, 11))",
)

add(
    "lcs",
    "dynamic programming",
    """
# dougmercer-yt/dougmercer-yt, 2023/0611-compiled-python/lcs/numpy.py (the NumPy version of a
# comparison of Python compilers, Numba among them), lcs_numpy: the length of the longest common
# subsequence of two int arrays by dynamic programming (int64 table, int32 there; dp[-1, -1]).
def lcs(a, b):
    dp = np.zeros((len(a) + 1, len(b) + 1), dtype=np.int64)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                dp[i, j] = dp[i - 1, j - 1] + 1
            else:
                dp[i, j] = max(dp[i - 1, j], dp[i, j - 1])
    return dp[-1, -1]
""",
    f"({RNG}(403).integers(0, 6, 350), {RNG}(404).integers(0, 6, 350))",
    f"({RNG}(403).integers(0, 6, 9), {RNG}(404).integers(0, 6, 12))",
)
