"""The benchmark harness's kernels: each a plain Python function in source form, with the
arguments it is timed on. Add a kernel by appending to KERNELS, with a `setup` expression for
arguments that are not literals (arrays). Every top-level
`def` of a kernel's source is decorated (helpers too); the kernel is the one named `name`.

`args` are sized so that CPython takes a fraction of a second; every engine runs the same
arguments, and every answer must equal CPython's.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kernel:
    name: str
    category: str
    source: str
    args: tuple
    # A Python expression evaluated in the kernel's module to make the arguments (else `args`).
    setup: str | None = None
    tags: tuple = field(default=())


KERNELS: list[Kernel] = [
    Kernel(
        "int_arith",
        "integer arithmetic",
        """
def int_arith(n):
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) % 1000003
        acc ^= i << 3
    return acc
""",
        (300_000,),
    ),
    Kernel(
        "digit_sum",
        "integer arithmetic",
        """
def digit_sum(n):
    total = 0
    for k in range(n):
        m = k
        while m > 0:
            total += m % 10
            m //= 10
    return total
""",
        (60_000,),
    ),
    Kernel(
        "bit_count",
        "integer arithmetic",
        """
def bit_count(n):
    total = 0
    for k in range(n):
        x = k
        while x:
            x &= x - 1
            total += 1
    return total
""",
        (100_000,),
    ),
    Kernel(
        "float_accum",
        "float accumulation",
        """
def float_accum(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i - 0.5 / (i + 1.0)
    return s
""",
        (300_000,),
    ),
    Kernel(
        "leibniz_pi",
        "float accumulation",
        """
def leibniz_pi(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * s
""",
        (400_000,),
    ),
    Kernel(
        "nested_while",
        "nested while loops",
        """
def nested_while(n):
    total = 0
    i = 0
    while i < n:
        j = 0
        while j < i % 97:
            total += (i ^ j) & 7
            j += 1
        i += 1
    return total
""",
        (10_000,),
    ),
    Kernel(
        "collatz_total",
        "nested while loops",
        """
def collatz_total(n):
    total = 0
    for k in range(1, n):
        m = k
        while m != 1:
            m = m // 2 if m % 2 == 0 else 3 * m + 1
            total += 1
    return total
""",
        (10_000,),
    ),
    Kernel(
        "gcd_sum",
        "nested while loops",
        """
def gcd_sum(n):
    total = 0
    for a in range(1, n):
        for b in range(1, n):
            x, y = a, b
            while y:
                x, y = y, x % y
            total += x
    return total
""",
        (300,),
    ),
    Kernel(
        "prime_count",
        "nested loops",
        """
def prime_count(n):
    count = 0
    for k in range(2, n):
        d = 2
        prime = True
        while d * d <= k:
            if k % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count
""",
        (40_000,),
    ),
    Kernel(
        "mandelbrot",
        "nested loops",
        """
def mandelbrot(size, max_iter):
    inside = 0
    for py in range(size):
        for px in range(size):
            cr = -2.0 + 2.5 * px / size
            ci = -1.25 + 2.5 * py / size
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            if k == max_iter:
                inside += 1
    return inside
""",
        (120, 50),
    ),
    Kernel(
        "math_calls",
        "math-library calls",
        """
def math_calls(n):
    s = 0.0
    for i in range(n):
        x = i * 0.001
        s += math.sin(x) * math.exp(-x * 0.01) + math.sqrt(x + 1.0)
    return s
""",
        (100_000,),
    ),
    Kernel(
        "newton_sqrt",
        "math-library calls",
        """
def newton_sqrt(n):
    err = 0.0
    for k in range(1, n):
        x = float(k)
        g = x
        for _ in range(20):
            g = 0.5 * (g + x / g)
        err = max(err, abs(g - math.sqrt(x)))
    return err
""",
        (20_000,),
    ),
    Kernel(
        "fib",
        "recursion",
        """
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
""",
        (24,),
    ),
    Kernel(
        "tak",
        "recursion",
        """
def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z
""",
        (18, 12, 6),
    ),
    # A pair: the same work with a small jitted helper called in the loop, and written inline.
    # Callees are compiled into their caller, so the call should cost nothing measurable
    # (harness figure `call_pair`).
    Kernel(
        "call_helper",
        "calls",
        """
def call_helper(n):
    s = 0.0
    for i in range(n):
        s += kinetic(i * 0.001, 1.5 + (i % 7))
    return s

def kinetic(v, m):
    return 0.5 * m * v * v + math.sqrt(m)
""",
        (300_000,),
    ),
    Kernel(
        "call_inline",
        "calls",
        """
def call_inline(n):
    s = 0.0
    for i in range(n):
        v = i * 0.001
        m = 1.5 + (i % 7)
        s += 0.5 * m * v * v + math.sqrt(m)
    return s
""",
        (300_000,),
    ),
    # Array kernels. `setup` makes the arguments in the child process, the
    # same for every engine; in-place kernels reset what they write, so every call does the same
    # work, and return a checksum.
    Kernel(
        "dot",
        "arrays",
        """
def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s
""",
        (),
        setup="(__import__('numpy').random.default_rng(1).random(200_000), __import__('numpy').random.default_rng(2).random(200_000))",
    ),
    Kernel(
        "matmul",
        "arrays",
        """
def matmul(a, b, c):
    n, m = a.shape
    p = b.shape[1]
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(m):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    t = 0.0
    for i in range(n):
        for j in range(p):
            t += c[i, j] * (i + 1)
    return t
""",
        (),
        setup="(__import__('numpy').random.default_rng(3).random((60, 60)), __import__('numpy').random.default_rng(4).random((60, 60)), __import__('numpy').zeros((60, 60)))",
    ),
    # Matrix products through BLAS (issue 18): a 1000x1000 product, whose reference (CPython
    # running NumPy's `a @ b`) is NumPy's own BLAS call, and 4x4 products in a loop, where a
    # BLAS call per product costs more than the arithmetic. Integer-valued floats keep every
    # product exact, so the answers do not depend on the order BLAS sums in.
    Kernel(
        "matmul_blas",
        "arrays",
        """
def matmul_blas(a, b):
    c = a @ b
    return c[7, 11] + c[999, 999]
""",
        (),
        setup="(__import__('numpy').random.default_rng(6).integers(0, 8, (1000, 1000)).astype(float), __import__('numpy').random.default_rng(7).integers(0, 8, (1000, 1000)).astype(float))",
    ),
    Kernel(
        "small_matmul",
        "arrays",
        """
def small_matmul(a, p, n):
    c = a
    for i in range(n):
        c = c @ p + 1.0
    return c[0, 0] + c[3, 3]
""",
        (),
        # p permutes the columns: every product is exact.
        setup="(__import__('numpy').random.default_rng(8).integers(0, 7, (4, 4)).astype(float), __import__('numpy').eye(4)[[2, 0, 3, 1]], 20000)",
    ),
    Kernel(
        "stencil2d",
        "arrays",
        """
def stencil2d(u, out):
    n, m = u.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
    t = 0.0
    for i in range(n):
        t += out[i, i]
    return t
""",
        (),
        setup="(__import__('numpy').random.default_rng(5).random((200, 200)), __import__('numpy').zeros((200, 200)))",
    ),
    Kernel(
        "nbody",
        "arrays",
        """
def nbody(pos, vel, mass, steps, dt):
    n = pos.shape[0]
    for k in range(n):
        for d in range(3):
            vel[k, d] = 0.0
    for _ in range(steps):
        for i in range(n):
            for j in range(n):
                if i != j:
                    dx = pos[j, 0] - pos[i, 0]
                    dy = pos[j, 1] - pos[i, 1]
                    dz = pos[j, 2] - pos[i, 2]
                    r2 = dx * dx + dy * dy + dz * dz + 0.01
                    f = mass[j] / (r2 * math.sqrt(r2))
                    vel[i, 0] += dt * f * dx
                    vel[i, 1] += dt * f * dy
                    vel[i, 2] += dt * f * dz
    e = 0.0
    for i in range(n):
        e += 0.5 * mass[i] * (vel[i, 0] ** 2 + vel[i, 1] ** 2 + vel[i, 2] ** 2)
    return e
""",
        (),
        setup="(__import__('numpy').random.default_rng(6).random((80, 3)), __import__('numpy').zeros((80, 3)), __import__('numpy').random.default_rng(7).random(80), 10, 0.01)",
    ),
    Kernel(
        "bubble_sort",
        "arrays",
        """
def bubble_sort(src, a):
    n = src.shape[0]
    for i in range(n):
        a[i] = src[i]
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
    return a[0] + a[n // 2] * 3 + a[n - 1] * 7
""",
        (),
        setup="(__import__('numpy').random.default_rng(8).integers(-10**6, 10**6, 700), __import__('numpy').zeros(700, dtype='int64'))",
    ),
    Kernel(
        "cumsum_view",
        "arrays",
        """
def cumsum_view(v, out):
    acc = 0.0
    for i in range(v.shape[0]):
        acc += v[i]
        out[i] = acc
    return acc + out[v.shape[0] // 2]
""",
        (),
        setup="(__import__('numpy').random.default_rng(9).random(400_000)[::-2], __import__('numpy').zeros(200_000))",
    ),
    Kernel(
        "float32_sum",
        "arrays",
        """
def float32_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += float(a[i]) - 0.5  # no multiply: Numba would fuse `s + x * x` into an FMA
    return s
""",
        (),
        setup="(__import__('numpy').random.default_rng(10).random(300_000).astype('float32'),)",
    ),
    # np.random (issue 20): each kernel seeds first, so CPython, Numba and stickyjit draw the
    # same stream (NumPy's legacy MT19937) and give the same answer.
    Kernel(
        "mc_pi",
        "random numbers",
        """
import numpy as np


def mc_pi(n):
    np.random.seed(1)
    hits = 0
    for i in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y < 1.0:
            hits += 1
    return 4.0 * hits / n
""",
        (200_000,),
    ),
    Kernel(
        "random_walk",
        "random numbers",
        """
import numpy as np


def random_walk(n):
    np.random.seed(2)
    x = 0.0
    far = 0.0
    for i in range(n):
        x += np.random.standard_normal()
        if abs(x) > far:
            far = abs(x)
    return far
""",
        (200_000,),
    ),
    Kernel(
        "bootstrap_mean",
        "random numbers",
        """
import numpy as np


def bootstrap_mean(a, reps):
    np.random.seed(3)
    n = a.shape[0]
    total = 0.0
    for r in range(reps):
        s = 0.0
        for i in range(n):
            s += a[np.random.randint(0, n)]
        total += s / n
    return total / reps
""",
        (),
        setup="(__import__('numpy').random.default_rng(12).random(1000), 200)",
    ),
    Kernel(
        "histogram",
        "arrays",
        """
def histogram(x, counts):
    nbins = counts.shape[0]
    for b in range(nbins):
        counts[b] = 0
    for i in range(x.shape[0]):
        counts[int(x[i] * nbins)] += 1
    t = 0
    for b in range(nbins):
        t += counts[b] * (b + 1)
    return t
""",
        (),
        setup="(__import__('numpy').random.default_rng(11).random(300_000), __import__('numpy').zeros(50, dtype='int64'))",
    ),
    # Lists (issue 19): appends in a loop, a comprehension, a list-building sieve.
    Kernel(
        "list_append",
        "lists",
        """
def list_append(n):
    out = []
    for i in range(n):
        if i % 3 != 0:
            out.append(i * 0.5)
    s = 0.0
    for x in out:
        s += x
    return s + len(out)
""",
        (300_000,),
    ),
    # The same two kernels on Numba's typed list (`numba.typed.List()`, which `TypedList()` is
    # under Numba; `[]` for stickyjit and CPython): issue 19's comparison.
    Kernel(
        "list_append_typed",
        "lists",
        """
def list_append_typed(n):
    out = TypedList()
    for i in range(n):
        if i % 3 != 0:
            out.append(i * 0.5)
    s = 0.0
    for x in out:
        s += x
    return s + len(out)
""",
        (300_000,),
    ),
    Kernel(
        "prime_sieve_typed",
        "lists",
        """
def prime_sieve_typed(n):
    sieve = TypedList()
    for i in range(n + 1):
        sieve.append(True)
    primes = TypedList()
    for i in range(2, n + 1):
        if sieve[i]:
            primes.append(i)
            for j in range(i * i, n + 1, i):
                sieve[j] = False
    return len(primes) + primes[-1]
""",
        (300_000,),
    ),
    Kernel(
        "list_comprehension",
        "lists",
        """
def list_comprehension(n):
    squares = [i * i % 1009 for i in range(n) if i % 7 != 3]
    return sum(squares) + max(squares) + len(squares)
""",
        (300_000,),
    ),
    Kernel(
        "prime_sieve_list",
        "lists",
        """
def prime_sieve_list(n):
    sieve = [True] * (n + 1)
    primes = []
    for i in range(2, n + 1):
        if sieve[i]:
            primes.append(i)
            for j in range(i * i, n + 1, i):
                sieve[j] = False
    return len(primes) + primes[-1]
""",
        (300_000,),
    ),
    Kernel(
        "dict_histogram",
        "dicts",
        """
def dict_histogram(n):
    counts = {}
    x = 12345
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        k = x % 1000
        if k in counts:
            counts[k] += 1
        else:
            counts[k] = 1
    best = 0
    for k, v in counts.items():
        if v > best:
            best = v + k % 2
    return best + len(counts)
""",
        (300_000,),
    ),
    Kernel(
        "dict_pairs",
        "dicts",
        """
def dict_pairs(n):
    seen = {}
    total = 0.0
    for i in range(n):
        key = (i % 97, i % 89)
        if key in seen:
            total += seen[key]
        else:
            seen[key] = i * 0.5
    return total + len(seen)
""",
        (300_000,),
    ),
    # Strings (issue 19): a word count over a text passed in (a str argument), counted in a
    # dict keyed by strings (Numba: its unicode type and typed dict).
    Kernel(
        "word_count",
        "strings",
        """
def word_count(text):
    counts = {}
    for w in text.split():
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    best = 0
    for k, v in counts.items():
        if v > best:
            best = v + len(k) % 2
    return best + len(counts)
""",
        (),
        setup='(" ".join("w" + str(i * 7919 % 1000) for i in range(100_000)),)',
    ),
    # Parallel loops (issue 21): `prange` under parallel=True (Numba's too); CPython runs `range`.
    # Answers are exact (integer reductions, or float sums taken serially after the loop), so
    # every engine must give CPython's.
    Kernel(
        "prange_mandelbrot",
        "parallel loops",
        """
def prange_mandelbrot(size, max_iter):
    inside = 0
    for py in prange(size):
        for px in range(size):
            cr = -2.0 + 2.5 * px / size
            ci = -1.25 + 2.5 * py / size
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            if k == max_iter:
                inside += 1
    return inside
""",
        (200, 60),
    ),
    Kernel(
        "prange_rows",
        "parallel loops",
        """
import numpy as np


def prange_rows(a):
    out = np.empty(a.shape[0])
    for i in prange(a.shape[0]):
        s = 0.0
        for j in range(a.shape[1]):
            s += math.sin(a[i, j]) * a[i, j]
        out[i] = s
    t = 0.0
    for i in range(out.shape[0]):
        t += out[i]
    return t
""",
        (),
        setup="(__import__('numpy').random.default_rng(21).random((2000, 200)),)",
    ),
    Kernel(
        "prange_sum",
        "parallel loops",
        """
def prange_sum(n):
    s = 0
    m = 0
    for i in prange(n):
        v = (i * i) % 7919
        s += v
        m = max(m, v ^ (i & 1023))
    return s, m
""",
        (1_000_000,),
    ),
    Kernel(
        "prange_small",
        "parallel loops",
        """
import numpy as np


def prange_small(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * 0.5
    return s
""",
        (),
        setup="(__import__('numpy').arange(1000.0),)",
    ),
    Kernel(
        "prange_pairwise",
        "parallel loops",
        """
import numpy as np


def prange_pairwise(x):
    n = x.shape[0]
    d = np.empty((n, n))
    for i in prange(n):
        for j in range(n):
            s = 0.0
            for k in range(x.shape[1]):
                t = x[i, k] - x[j, k]
                s += t * t
            d[i, j] = math.sqrt(s)
    t = 0.0
    for i in range(n):
        t += d[i, n - 1 - i]
    return t
""",
        (),
        setup="(__import__('numpy').random.default_rng(22).random((300, 8)),)",
    ),
    Kernel(
        "prange_stencil",
        "parallel loops",
        """
import numpy as np


def prange_stencil(u, steps):
    v = np.empty_like(u)
    for s in range(steps):
        for i in prange(1, u.shape[0] - 1):
            for j in range(1, u.shape[1] - 1):
                v[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
        for i in prange(1, u.shape[0] - 1):
            for j in range(1, u.shape[1] - 1):
                u[i, j] = v[i, j]
    return u[u.shape[0] // 2, u.shape[1] // 3]
""",
        (),
        setup="(__import__('numpy').random.default_rng(23).random((400, 400)), 2)",
    ),
]

BY_NAME = {k.name: k for k in KERNELS}
