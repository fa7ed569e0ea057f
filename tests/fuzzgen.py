"""Random programs in stickyjit's documented subset, for differential testing against CPython.

``generate(rng)`` returns the source of one function ``f(n, x, flag, a, b)`` (an int, a float, a
bool, a 1-D float64 array, a 2-D int64 array) built from the subset of docs/language.md:
int/float/bool scalars, arithmetic, bitwise and comparison operators, ``if``/``while``/
``for ... in range`` with ``break``/``continue``, math functions, tuples, array indexing,
slicing, reductions and NumPy constructors. ``run(src, args)`` runs it compiled and in CPython
and returns a description of any difference (``None`` when they agree, ``"skip"`` when the
program leaves the subset where stickyjit promises CPython's answer).

Documented deviations are kept out by construction:

* every variable keeps one type (no int/float or bool/int unification);
* ``**`` has a literal exponent 0..3, or a float base made non-negative (``abs(x) ** y``);
  ``min``/``max`` take operands of one type; ``math.hypot`` is not used;
* array elements and reductions are read through ``float()``/``int()`` (Python scalars, as the
  compiled code computes with), arrays hold at most 7 elements (NumPy sums 8 or more pairwise);
* int64 wraparound: the CPython run checks every int result (operators, ``int``, ``round``,
  ``math.floor``...) and a program whose ints leave int64 is skipped.
"""

from __future__ import annotations

import ast
import itertools
import linecache
import math
import random
import warnings

import numpy as np

import stickyjit

INT_VARS = ["i0", "i1", "i2"]
FLOAT_VARS = ["f0", "f1"]
BOOL_VARS = ["c0"]
FLOATS = [0.0, -0.0, 0.5, 1.5, -2.25, 3.0, 1e-3, 1e300, -1e300, 7.0, 0.1]
_counter = itertools.count()


class Gen:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lines: list[str] = []
        self.loop_vars: list[str] = []
        self.depth = 0
        self.in_loop = 0

    # ---------------------------------------------------------------- expressions
    def choice(self, *options):
        return self.rng.choice(options)

    def int_expr(self, d: int = 0) -> str:
        r = self.rng.random()
        if d > 2 or r < 0.3:
            leaves = INT_VARS + ["n", str(self.rng.randint(-5, 20))] + self.loop_vars
            if self.rng.random() < 0.2:
                leaves += ["len(a)", "b.shape[0]", "b.shape[1]", "len(t)", "t[1]", "a.size"]
            return self.rng.choice(leaves)
        k = self.rng.randrange(15)
        e = lambda: self.int_expr(d + 1)  # noqa: E731
        if k < 5:
            op = self.choice("+", "-", "*", "//", "%", "&", "|", "^")
            return f"({e()} {op} {e()})"
        if k == 5:
            return f"({e()} {self.choice('<<', '>>')} ({e()} % 9))"
        if k == 6:
            return f"({self.choice('-', '~', '+')}{e()})"
        if k == 7:
            return f"{self.choice('abs', 'int')}({e()})"
        if k == 8:
            return f"{self.choice('min', 'max')}({e()}, {e()})"
        if k == 9:
            f = self.float_expr(d + 1)
            return self.choice(f"int({f})", f"round({f})", f"math.floor({f})", f"math.ceil({f})", f"math.trunc({f})")
        if k == 10:
            return f"({e()} if {self.bool_expr(d + 1)} else {e()})"
        if k == 11:
            return f"({e()} ** {self.rng.randint(0, 3)})"
        if k == 12:
            return f"int(b[{self.index(d, 'b.shape[0]')}, {self.index(d, 'b.shape[1]')}])"
        if k == 13:
            return self.choice("int(b.sum())", "int(b.min())", "int(b.max())", "int(b[0].sum())", f"t[{e()} % 3]")
        return f"int({self.bool_expr(d + 1)})"

    def index(self, d: int, size: str) -> str:
        i = self.int_expr(d + 1)
        return i if self.rng.random() < 0.15 else f"({i}) % {size}"

    def float_expr(self, d: int = 0) -> str:
        r = self.rng.random()
        if d > 2 or r < 0.3:
            leaves = FLOAT_VARS + ["x", repr(self.rng.choice(FLOATS))]
            return self.rng.choice(leaves)
        k = self.rng.randrange(13)
        f = lambda: self.float_expr(d + 1)  # noqa: E731
        if k < 4:
            op = self.choice("+", "-", "*", "/", "//", "%")
            left, right = (
                (f(), f())
                if self.rng.random() < 0.7
                else self.choice((f(), self.int_expr(d + 1)), (self.int_expr(d + 1), f()))
            )
            return f"({left} {op} {right})"
        if k == 4:
            i = lambda: self.int_expr(d + 1)  # noqa: E731
            return f"({i()} / {i()})"
        if k == 5:
            fn = self.choice("sqrt", "exp", "log", "sin", "cos", "atan", "fabs", "log1p", "expm1", "tanh", "log10")
            return f"math.{fn}({f()})"
        if k == 6:
            fn = self.choice("atan2", "copysign", "fmod", "pow")
            return f"math.{fn}({f()}, {f()})"
        if k == 7:
            return self.choice(
                f"(abs({f()}) ** {f()})", f"({f()} ** {self.rng.randint(0, 3)})", f"(-{f()})", f"abs({f()})"
            )
        if k == 8:
            return self.choice(f"float({self.int_expr(d + 1)})", f"min({f()}, {f()})", f"max({f()}, {f()})")
        if k == 9:
            return f"float(a[{self.index(d, 'len(a)')}])"
        if k == 10:
            return self.choice(
                "float(a.sum())", "float(a.min())", "float(a.max())", "float(a.mean())", "float(b.mean())"
            )
        if k == 11:
            return f"({f()} if {self.bool_expr(d + 1)} else {f()})"
        return f"round({f()}, {self.rng.randint(-2, 3)})"

    def bool_expr(self, d: int = 0) -> str:
        k = self.rng.randrange(7)
        if d > 2 or k == 0:
            return self.rng.choice(BOOL_VARS + ["flag", "True", "False"])
        cmp = self.choice("<", "<=", ">", ">=", "==", "!=")
        if k in (1, 2):
            return f"({self.int_expr(d + 1)} {cmp} {self.int_expr(d + 1)})"
        if k == 3:
            return f"({self.float_expr(d + 1)} {cmp} {self.float_expr(d + 1)} {self.choice('<', '>=')} {self.int_expr(d + 1)})"
        if k == 4:
            return f"(not {self.bool_expr(d + 1)})"
        if k == 5:
            return f"({self.bool_expr(d + 1)} {self.choice('and', 'or')} {self.bool_expr(d + 1)})"
        return f"math.{self.choice('isnan', 'isinf', 'isfinite')}({self.float_expr(d + 1)})"

    # ---------------------------------------------------------------- statements
    def emit(self, line: str) -> None:
        self.lines.append("    " * (self.depth + 1) + line)

    def stmt(self) -> None:
        k = self.rng.randrange(14)
        if k < 3:
            self.emit(f"{self.rng.choice(INT_VARS)} = {self.int_expr()}")
        elif k < 5:
            self.emit(f"{self.rng.choice(FLOAT_VARS)} = {self.float_expr()}")
        elif k == 5:
            self.emit(f"{self.rng.choice(BOOL_VARS)} = {self.bool_expr()}")
        elif k == 6:
            v = self.rng.choice(INT_VARS + FLOAT_VARS)
            if v in INT_VARS:
                self.emit(f"{v} {self.choice('+', '-', '*', '//', '%', '&', '|', '^')}= {self.int_expr()}")
            else:
                self.emit(f"{v} {self.choice('+', '-', '*', '/')}= {self.float_expr()}")
        elif k == 7 and self.depth < 2:
            self.emit(f"if {self.bool_expr()}:")
            self.block()
            if self.rng.random() < 0.5:
                self.emit("else:")
                self.block()
        elif k == 8 and self.depth < 2:
            lv = f"k{next(_counter) % 1000}"
            self.emit(
                f"for {lv} in range({self.choice('(' + self.int_expr() + ') % 6', 'len(a)', '3', 'b.shape[1]')}):"
            )
            self.loop_vars.append(lv)
            self.in_loop += 1
            self.block()
            self.in_loop -= 1
            self.loop_vars.pop()
        elif k == 9 and self.depth < 2:
            w = f"w{next(_counter) % 1000}"
            self.emit(f"{w} = 0")
            self.emit(f"while {w} < {self.rng.randint(1, 5)}:")
            self.depth += 1
            self.emit(f"{w} += 1")
            self.depth -= 1
            self.in_loop += 1
            self.block()
            self.in_loop -= 1
        elif k == 10 and self.in_loop:
            self.emit(f"if {self.bool_expr()}:")
            self.depth += 1
            self.emit(self.choice("break", "continue"))
            self.depth -= 1
        elif k == 11:
            if self.rng.random() < 0.5:
                self.emit(f"a[{self.index(0, 'len(a)')}] {self.choice('=', '+=', '*=')} {self.float_expr()}")
            else:
                self.emit(
                    f"b[{self.index(0, 'b.shape[0]')}, {self.index(0, 'b.shape[1]')}] {self.choice('=', '+=', '-=')} {self.int_expr()}"
                )
        elif k == 12:
            self.emit(f"t = ({self.int_expr()}, {self.int_expr()}, {self.int_expr()})")
        else:
            v = self.rng.choice(["v1", "v2"])
            ctor = self.choice(
                "np.zeros(len(a))",
                "np.ones(3)",
                f"np.full(2, {self.float_expr()})",
                "a.copy()",
                "a[1:]",
                "a[::-1]",
                "a[::2]",
                "np.zeros_like(a)",
                f"np.arange(float(({self.int_expr()}) % 5), 4.0, 0.75)",
                "np.full_like(a, 2.5)",
                f"np.arange({self.rng.randint(0, 5)}, dtype=np.float64)",
                f"np.arange(0.5, 2.0, {self.choice('0.1', '0.3', '0.25')})",
            )
            # Views and new arrays: read back through a scalar.
            self.emit(f"{v} = {ctor}")
            self.emit(f"f{self.rng.randint(0, 1)} += float({v}.sum()) + len({v})")

    def block(self) -> None:
        self.depth += 1
        for _ in range(self.rng.randint(1, 3)):
            self.stmt()
        self.depth -= 1


def generate(rng: random.Random) -> str:
    g = Gen(rng)
    g.lines.append("def f(n, x, flag, a, b):")
    for v in INT_VARS:
        g.emit(f"{v} = {rng.randint(-3, 9)}")
    for v in FLOAT_VARS:
        g.emit(f"{v} = {rng.choice(FLOATS)!r}")
    g.emit("c0 = False")
    g.emit("t = (1, 2, 3)")
    for _ in range(rng.randint(3, 8)):
        g.stmt()
    results = ", ".join(INT_VARS + FLOAT_VARS + BOOL_VARS + ["t"])
    g.emit(f"return ({results}, a, b)" if rng.random() < 0.3 else f"return ({results})")
    return "\n".join(g.lines) + "\n"


def arguments(rng: random.Random):
    n = rng.randint(-4, 12)
    x = rng.choice(FLOATS + [rng.uniform(-10, 10)])
    flag = rng.random() < 0.5
    a = np.array([rng.choice([0.5, -1.25, 3.0, 0.0, 2.0, 1e-3]) for _ in range(rng.randint(0, 5))], dtype=np.float64)
    rows, cols = rng.choice([(1, 1), (2, 3), (3, 2), (1, 4)])
    b = np.array([[rng.randint(-6, 9) for _ in range(cols)] for _ in range(rows)], dtype=np.int64)
    return n, x, flag, a, b


# -------------------------------------------------------------------- the CPython reference run


class IntOverflow(Exception):
    """A CPython int left int64: compiled code wraps there (a documented deviation)."""


def _chk(v):
    if type(v) is int and not (-(2**63) <= v < 2**63):
        raise IntOverflow
    return v


class _Checker(ast.NodeTransformer):
    """Wraps every operator and int-making call in ``_chk``; ``x op= e`` becomes ``x = _chk(x op e)``."""

    CALLS = {"int", "round", "abs", "floor", "ceil", "trunc", "min", "max"}

    def _wrap(self, node):
        return ast.copy_location(ast.Call(ast.Name("_chk", ast.Load()), [node], []), node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        return self._wrap(node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return self._wrap(node)

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        return self._wrap(node) if name in self.CALLS else node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            value = ast.BinOp(ast.Name(node.target.id, ast.Load()), node.op, node.value)
            return ast.copy_location(ast.Assign([node.target], self._wrap(value)), node)
        # a[i] op= v: CPython reads, operates, stores; check the stored value.
        load = ast.Subscript(node.target.value, node.target.slice, ast.Load())
        value = ast.BinOp(load, node.op, node.value)
        return ast.copy_location(ast.Assign([node.target], self._wrap(value)), node)


def reference(src: str):
    tree = _Checker().visit(ast.parse(src))
    ast.fix_missing_locations(tree)
    g = {"math": math, "np": np, "_chk": _chk}
    exec(compile(tree, "<reference>", "exec"), g)
    return g["f"]


def compiled(src: str):
    name = f"<fuzz-{next(_counter)}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    g = {"math": math, "np": np}
    exec(compile(src, name, "exec"), g)
    return stickyjit.jit(g["f"])


def _copy(args):
    return tuple(x.copy() if isinstance(x, np.ndarray) else x for x in args)


def _outcome(f, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return ("ok", f(*args))
        except IntOverflow:
            return ("overflow", None)
        except Exception as e:  # noqa: BLE001 - the exception is the outcome
            return ("raise", e)


def _same_value(e, g) -> bool:
    if isinstance(e, tuple):
        return isinstance(g, tuple) and len(e) == len(g) and all(_same_value(x, y) for x, y in zip(e, g))
    if isinstance(e, np.ndarray):
        return (
            isinstance(g, np.ndarray)
            and e.dtype == g.dtype
            and e.shape == g.shape
            and all(_same_value(x, y) for x, y in zip(e.ravel().tolist(), g.ravel().tolist()))
        )
    if type(e) is not type(g):
        return False
    if isinstance(e, float):
        if math.isnan(e):
            return math.isnan(g)
        return math.copysign(1, e) == math.copysign(1, g) and e == g
    return e == g


def run(src: str, args) -> str | None:
    """None when compiled code and CPython agree; "skip" outside the promised subset; else a
    description of the difference."""
    ref = _outcome(reference(src), _copy(args))
    if ref[0] == "overflow":
        return "skip"
    if ref[0] == "ok" and _has_complex(ref[1]):
        return "skip"
    try:
        fn = compiled(src)
    except Exception as e:  # noqa: BLE001
        return f"jit() raised {e!r}"
    cargs = _copy(args)
    got = _outcome(fn, cargs)
    if ref[0] == "raise":
        e = ref[1]
        if got[0] != "raise":
            return f"CPython raised {type(e).__name__}({e}), compiled returned {got[1]!r}"
        g = got[1]
        if isinstance(g, stickyjit.CompileError):
            return f"CompileError: {g}"
        if type(g) is not type(e) or str(g) != str(e):
            return f"CPython raised {type(e).__name__}({e}), compiled raised {type(g).__name__}({g})"
        return None
    if got[0] != "ok":
        return f"CPython returned {ref[1]!r}, compiled raised {type(got[1]).__name__}({got[1]})"
    if not _same_value(ref[1], got[1]):
        return f"CPython returned {ref[1]!r}, compiled returned {got[1]!r}"
    return None


def _has_complex(v) -> bool:
    if isinstance(v, tuple):
        return any(_has_complex(x) for x in v)
    return isinstance(v, complex)


def main(count: int, seed: int, verbose: bool = True) -> dict:
    rng = random.Random(seed)
    stats = {"programs": 0, "agree": 0, "skipped": 0, "mismatches": []}
    for i in range(count):
        src = generate(rng)
        args = arguments(rng)
        stats["programs"] += 1
        r = run(src, args)
        if r is None:
            stats["agree"] += 1
        elif r == "skip":
            stats["skipped"] += 1
        else:
            stats["mismatches"].append((i, src, args, r))
            if verbose:
                print(f"--- program {i} (seed {seed}): {r}\n{src}args = {args!r}\n")
    return stats


if __name__ == "__main__":
    import os

    s = main(int(os.environ.get("STICKYJIT_FUZZ_COUNT", "2000")), int(os.environ.get("STICKYJIT_FUZZ_SEED", "1")))
    print({k: (len(v) if k == "mismatches" else v) for k, v in s.items()})
    raise SystemExit(1 if s["mismatches"] else 0)
