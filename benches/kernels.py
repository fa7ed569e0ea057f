"""The benchmark harness's kernels: each a plain Python function in source form, with the
arguments it is timed on. Add a kernel by appending to KERNELS; later issues (arrays) add
theirs here, with a `setup` expression for arguments that are not literals. Every top-level
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
    Kernel("int_arith", "integer arithmetic", '''
def int_arith(n):
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) % 1000003
        acc ^= i << 3
    return acc
''', (300_000,)),
    Kernel("digit_sum", "integer arithmetic", '''
def digit_sum(n):
    total = 0
    for k in range(n):
        m = k
        while m > 0:
            total += m % 10
            m //= 10
    return total
''', (60_000,)),
    Kernel("bit_count", "integer arithmetic", '''
def bit_count(n):
    total = 0
    for k in range(n):
        x = k
        while x:
            x &= x - 1
            total += 1
    return total
''', (100_000,)),
    Kernel("float_accum", "float accumulation", '''
def float_accum(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i - 0.5 / (i + 1.0)
    return s
''', (300_000,)),
    Kernel("leibniz_pi", "float accumulation", '''
def leibniz_pi(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * s
''', (400_000,)),
    Kernel("nested_while", "nested while loops", '''
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
''', (10_000,)),
    Kernel("collatz_total", "nested while loops", '''
def collatz_total(n):
    total = 0
    for k in range(1, n):
        m = k
        while m != 1:
            m = m // 2 if m % 2 == 0 else 3 * m + 1
            total += 1
    return total
''', (10_000,)),
    Kernel("gcd_sum", "nested while loops", '''
def gcd_sum(n):
    total = 0
    for a in range(1, n):
        for b in range(1, n):
            x, y = a, b
            while y:
                x, y = y, x % y
            total += x
    return total
''', (300,)),
    Kernel("prime_count", "nested loops", '''
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
''', (40_000,)),
    Kernel("mandelbrot", "nested loops", '''
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
''', (120, 50)),
    Kernel("math_calls", "math-library calls", '''
def math_calls(n):
    s = 0.0
    for i in range(n):
        x = i * 0.001
        s += math.sin(x) * math.exp(-x * 0.01) + math.sqrt(x + 1.0)
    return s
''', (100_000,)),
    Kernel("newton_sqrt", "math-library calls", '''
def newton_sqrt(n):
    err = 0.0
    for k in range(1, n):
        x = float(k)
        g = x
        for _ in range(20):
            g = 0.5 * (g + x / g)
        err = max(err, abs(g - math.sqrt(x)))
    return err
''', (20_000,)),
    Kernel("fib", "recursion", '''
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
''', (24,)),
    Kernel("tak", "recursion", '''
def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z
''', (18, 12, 6)),
    # A pair: the same work with a small jitted helper called in the loop, and written inline.
    # The calls issue's target: the call costs nothing measurable (harness figure `call_pair`).
    Kernel("call_helper", "calls", '''
def call_helper(n):
    s = 0.0
    for i in range(n):
        s += kinetic(i * 0.001, 1.5 + (i % 7))
    return s

def kinetic(v, m):
    return 0.5 * m * v * v + math.sqrt(m)
''', (300_000,)),
    Kernel("call_inline", "calls", '''
def call_inline(n):
    s = 0.0
    for i in range(n):
        v = i * 0.001
        m = 1.5 + (i % 7)
        s += 0.5 * m * v * v + math.sqrt(m)
    return s
''', (300_000,)),
]

BY_NAME = {k.name: k for k in KERNELS}
