"""Code outside the compiled subset, and bad calls.

Every unsupported construct raises ``CompileError`` at the first call, naming the construct and
pointing at it: ``lineno``/``col_offset`` must be where CPython's own ``ast`` puts that node in
this file. The offending line of each function carries a ``# MARK: <name>`` comment; expected
positions are computed from it (and the file's ``ast``), never hard-coded.
"""

from __future__ import annotations

import ast
import linecache
import math
from functools import cache

import numpy as np
import pytest

from conftest import check
from stickyjit import CompileError, jit

HERE = __file__


@cache
def _module_ast():
    return ast.parse("".join(linecache.getlines(HERE)), HERE)


def marker_line(name: str) -> int:
    lines = linecache.getlines(HERE)
    hits = [i for i, line in enumerate(lines, 1) if line.rstrip().endswith(f"# MARK: {name}")]
    assert len(hits) == 1, f"marker {name!r} found {len(hits)} times"
    return hits[0]


def node_position(marker: str, node_type, pick=None) -> tuple[int, int]:
    """(lineno, col_offset) of the one ``node_type`` node CPython's ast has on the marked line."""
    line = marker_line(marker)
    nodes = [n for n in ast.walk(_module_ast()) if isinstance(n, node_type) and getattr(n, "lineno", None) == line]
    if pick is not None:
        nodes = [n for n in nodes if pick(n)]
    assert len(nodes) == 1, f"{len(nodes)} {node_type.__name__} nodes on line {line}"
    return nodes[0].lineno, nodes[0].col_offset


def assert_compile_error(f, args, construct: str, position: tuple[int, int], message_has=()):
    with pytest.raises(CompileError) as info:
        f(*args)
    e = info.value
    lineno, col = position
    assert e.construct == construct
    assert e.filename == f.py_func.__code__.co_filename == HERE
    assert (e.lineno, e.col_offset) == (lineno, col), f"{e}"
    text = str(e)
    head, src, caret = text.splitlines()[:3]
    assert head.startswith(f"{HERE}:{lineno}:{col}: "), text
    assert construct in head
    # The source line (stripped of its indentation) and a caret under the column.
    line = linecache.getline(HERE, lineno).rstrip("\n")
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    assert src.strip() == stripped.strip(), text
    assert caret.strip() == "^", text
    assert caret.index("^") - src.index(stripped[0]) == col - indent, text
    for part in message_has:
        assert part in text, text
    # A failed compile publishes nothing, and calling again raises again (no crash, no stale state).
    assert f.signatures == []
    with pytest.raises(CompileError) as again:
        f(*args)
    assert str(again.value) == text
    assert (again.value.lineno, again.value.col_offset, again.value.construct) == (lineno, col, construct)
    return e


# =============================================================================================
# unsupported syntax


@jit
def uses_dict(x):
    y = {**x}  # MARK: dict
    return x


@jit
def uses_set(x):
    y = {*x}  # MARK: set
    return x


@jit
def uses_listcomp(x):
    y = x > 0 and len([i for i in range(x)])  # MARK: listcomp
    return x


@jit
def uses_genexp(x):
    g = (i for i in range(x))  # MARK: genexp
    return x


@jit
def uses_bytes(x):
    s = b"text"  # MARK: bytes
    return x


@jit
def uses_try(x):
    # `try`/`except` compiles (tests/test_try.py); exception groups do not.
    try:  # MARK: try
        x = x + 1
    except* ZeroDivisionError:
        pass
    return x


@jit
def uses_with(x):
    with x:  # MARK: with
        pass
    return x


@jit
def uses_class(x):
    class Inner:  # MARK: class
        pass

    return x


@jit
def uses_lambda(x):
    g = lambda *ys: 1  # noqa: E731  # MARK: lambda
    return x


@jit
def uses_yield(x):
    yield x  # MARK: yield


@jit
def uses_global_stmt(x):
    global SOME_GLOBAL  # MARK: global
    return x


def make_nonlocal():
    z = 1

    @jit
    def uses_nonlocal(x):
        nonlocal z  # MARK: nonlocal
        return x + z

    return uses_nonlocal


@jit
def star_into_builtin(t):
    return max(*t)  # MARK: starbuiltin


@jit
def add_two(a, b):
    return a + b


@jit
def star_of_array(a):
    return add_two(*a)  # MARK: stararray


@jit
def uses_kwargs(x, **kwargs):  # MARK: kwargs
    return x


SYNTAX_CASES = [
    (uses_dict, "'**' in a dict literal", "dict", ast.Dict),
    (uses_set, "starred expression", "set", ast.Starred),
    (uses_listcomp, "list comprehension", "listcomp", ast.ListComp),
    (uses_genexp, "generator expression", "genexp", ast.GeneratorExp),
    (uses_bytes, "bytes literal", "bytes", ast.Constant),
    (uses_try, "try statement", "try", ast.TryStar),
    (uses_with, "with statement", "with", ast.With),
    (uses_class, "class definition", "class", ast.ClassDef),
    (uses_lambda, "lambda", "lambda", ast.Lambda),
    (uses_yield, "yield", "yield", ast.Yield),
    (uses_global_stmt, "global statement", "global", ast.Global),
]


@pytest.mark.parametrize("f,construct,marker,node_type", SYNTAX_CASES, ids=[c[2] for c in SYNTAX_CASES])
def test_unsupported_syntax(f, construct, marker, node_type):
    assert_compile_error(f, (3,), construct, node_position(marker, node_type))


def test_nonlocal_statement():
    f = make_nonlocal()
    assert_compile_error(f, (3,), "nonlocal statement", node_position("nonlocal", ast.Nonlocal))


def _arg_position(marker, which, index=None):
    line = marker_line(marker)
    (fn,) = [n for n in ast.walk(_module_ast()) if isinstance(n, ast.FunctionDef) and n.lineno == line]
    a = getattr(fn.args, which)
    if index is not None:
        a = a[index]
    return a.lineno, a.col_offset


def test_star_args_outside_a_call_of_a_jitted_function():
    # `*t` is compiled among the arguments of a jitted function (tests/test_star_args.py).
    assert_compile_error(star_into_builtin, ((1, 2),), "*args", node_position("starbuiltin", ast.Starred))
    assert_compile_error(star_of_array, (np.arange(2.0),), "*args", node_position("stararray", ast.Starred))


def test_star_star_kwargs():
    assert_compile_error(uses_kwargs, (3,), "**kwargs", _arg_position("kwargs", "kwarg"))


@jit
def inner_kwonly(x):
    def g(y, *, k=2):  # MARK: kwonly
        return y + k

    return g(x, k=1)


def test_keyword_only_parameter_of_an_inner_function():
    # A jitted function's keyword-only parameters are compiled (tests/test_keyword_only.py).
    assert_compile_error(inner_kwonly, (3,), "keyword-only parameter", _arg_position("kwonly", "kwonlyargs", 0))


@pytest.mark.parametrize(
    "f,args,kwargs,construct",
    [
        (uses_kwargs, (1,), {"b": 3}, "**kwargs"),
    ],
)
def test_unsupported_parameters_never_run_the_interpreter(f, args, kwargs, construct):
    # CPython could bind these calls; the function must still not run (it is not compiled).
    with pytest.raises(CompileError) as info:
        f(*args, **kwargs)
    assert info.value.construct == construct


def test_lambda_passed_to_jit():
    f = jit(lambda x: x * 2 + 1)
    assert f(3) == 7
    assert f(2.5) == 6.0
    assert f.py_func(4) == f(4)


def _first(f, _other):
    return f


def test_two_lambdas_in_the_statement_of_a_jitted_one():
    f = _first(jit(lambda x: x + 1), lambda y: y)  # MARK: jit-lambda
    with pytest.raises(CompileError) as info:
        f(3)
    assert info.value.construct == "lambda"
    assert "several lambdas" in str(info.value)
    assert info.value.lineno == marker_line("jit-lambda")
    # (The column is checked in test_regressions.py.)


# =============================================================================================
# names, calls and types the compiler cannot handle


def plain_python(x):
    return x + 1


@jit
def calls_plain(x):
    return x + plain_python(x)  # MARK: plain-call


@jit
def uses_attribute(x):
    return x.numerator  # MARK: attribute


@jit
def recurses_forever(n):  # MARK: recursive
    return recurses_forever(n)


@jit
def used_before_assignment(n):
    y = x + 1  # MARK: before
    x = 2
    return y


@jit
def none_or_number(n):
    if n > 0:
        return 1
    return


@jit
def falls_off_or_number(n):
    if n > 0:
        return 1.5


def test_call_to_plain_python_function_suggests_jit():
    pos = node_position("plain-call", ast.Name, pick=lambda n: n.id == "plain_python")
    e = assert_compile_error(
        calls_plain, (3,), "call to a function that is not jitted", pos, message_has=("plain_python",)
    )
    assert "@jit" in str(e)


def test_attribute_access_on_a_number():
    pos = node_position("attribute", ast.Attribute)
    e = assert_compile_error(uses_attribute, (3,), "attribute access", pos)
    assert ".numerator" in str(e)


def test_recursive_function_without_a_base_case():
    pos = node_position("recursive", ast.FunctionDef)
    e = assert_compile_error(recurses_forever, (3,), "recursive function whose return type cannot be inferred", pos)
    assert "recurses_forever" in str(e)


def test_variable_used_before_assignment():
    pos = node_position("before", ast.Name, pick=lambda n: n.id == "x")
    e = assert_compile_error(used_before_assignment, (3,), "variable used before assignment", pos)
    assert "'x'" in str(e)


@jit
def falls_off_through_inner_else_break(n):
    while True:
        if n > 100:
            return 1
        for i in range(n):
            pass
        else:
            break


def test_none_on_one_path_and_a_number_on_another_is_an_optional_return():
    # Numba's Optional: None on one path, a value on another, returned as CPython returns it.
    for n in (3, -3):
        check(none_or_number, n)
        check(falls_off_or_number, n)
        check(falls_off_through_inner_else_break, n if n > 0 else 0)
    check(falls_off_through_inner_else_break, 200)


def test_compile_error_is_raised_again_for_other_argument_types():
    from stickyjit import stats

    before = stats()["compiles"]
    for args in ((1,), (1.5,), (True,), (1,)):
        with pytest.raises(CompileError) as info:
            uses_dict(*args)
        assert info.value.construct == "'**' in a dict literal"
    assert uses_dict.signatures == []
    assert stats()["compiles"] == before


def test_compile_error_is_a_stickyjit_error():
    from stickyjit import StickyJitError

    with pytest.raises(StickyJitError):
        uses_dict(1)
    assert issubclass(CompileError, StickyJitError)
    assert issubclass(StickyJitError, Exception)


# =============================================================================================
# bad arguments at the call boundary


@jit
def takes_two(a, b=1):
    return a + b


@pytest.mark.parametrize(
    "value,type_name", [({"k": 1}, "dict"), ([[1]], "list"), ({1}, "set"), (b"x", "bytes"), ((1, b"x"), "bytes")]
)
def test_unsupported_argument_type_is_a_type_error_naming_the_parameter(value, type_name):
    with pytest.raises(TypeError) as info:
        takes_two(value)
    assert "'a'" in str(info.value)
    assert type_name in str(info.value)
    with pytest.raises(TypeError) as info:
        takes_two(1, value)
    assert "'b'" in str(info.value)
    assert type_name in str(info.value)
    with pytest.raises(TypeError) as info:
        takes_two(1, b=value)
    assert "'b'" in str(info.value)


@pytest.mark.parametrize("value", [2**70, -(2**70), 2**64, -(2**63) - 1])
def test_int_outside_int64_is_an_overflow_error_naming_the_parameter(value):
    with pytest.raises(OverflowError) as info:
        takes_two(value)
    assert "'a'" in str(info.value)
    assert str(value) in str(info.value)
    with pytest.raises(OverflowError) as info:
        takes_two(0, value)
    assert "'b'" in str(info.value)


def test_int64_limits_are_accepted():
    assert takes_two(2**63 - 2) == 2**63 - 1
    assert takes_two(-(2**63), 0) == -(2**63)


def _type_error(fn, args, kwargs):
    with pytest.raises(TypeError) as info:
        fn(*args, **kwargs)
    return str(info.value)


BAD_CALLS = [
    ((), {}),
    ((1, 2, 3), {}),
    ((1, 2, 3, 4), {}),
    ((1,), {"c": 2}),
    ((1,), {"a": 2}),
    ((), {"b": 2}),
    ((1, 2), {"b": 3}),
    ((), {"a": 1, "zz": 2}),
]


@pytest.mark.parametrize("args,kwargs", BAD_CALLS)
def test_bad_calls_raise_cpythons_type_error(args, kwargs):
    expected = _type_error(takes_two.py_func, args, kwargs)
    assert _type_error(takes_two, args, kwargs) == expected
    takes_two(1, 2)  # with a specialization compiled, the message is the same
    assert _type_error(takes_two, args, kwargs) == expected


@jit
def no_params():
    return 42


@jit
def positional_only(a, /, b):
    return a - b


def test_bad_calls_other_signatures():
    for fn, args, kwargs in [
        (no_params, (1,), {}),
        (no_params, (), {"x": 1}),
        (positional_only, (), {"a": 1, "b": 2}),
        (positional_only, (1,), {}),
    ]:
        assert _type_error(fn, args, kwargs) == _type_error(fn.py_func, args, kwargs)
    assert no_params() == 42
    assert positional_only(5, b=3) == 2


def test_unknown_jit_option_is_a_type_error():
    with pytest.raises(TypeError):
        jit(bogus=1)
    with pytest.raises(TypeError):

        @jit(bogus=1)
        def f(x):
            return x


def test_bad_jit_options_are_type_errors():
    with pytest.raises(TypeError):
        jit(opt_level=1)(plain_python)
    with pytest.raises(TypeError):
        jit(nopython=False)
    with pytest.raises(TypeError):
        jit(42)
    assert jit(nopython=True)(plain_python)(1) == 2


@jit
def math_misuse(x):
    return math.sqrt  # MARK: math-value


@jit
def math_unknown(x):
    return math.factorial(x)  # MARK: math-unknown


def test_math_function_used_as_a_value():
    with pytest.raises(CompileError) as info:
        math_misuse(1.0)
    assert info.value.lineno == marker_line("math-value")


def test_unsupported_math_function():
    with pytest.raises(CompileError) as info:
        math_unknown(5)
    assert info.value.lineno == marker_line("math-unknown")
    assert "factorial" in str(info.value)


# =============================================================================================
# recursion deeper than the stack: RecursionError, never a crash (run in a child process, so
# that a regression cannot take the test run down with it)

DEEP_RECURSION = r"""
import sys, threading
from stickyjit import jit

@jit
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)

def py_depth(n):
    return 0 if n == 0 else 1 + py_depth(n - 1)

assert depth(900) == py_depth(900)
assert depth(100_000) == 100_000
for n in (10**7, 10**9):
    try:
        depth(n)
    except RecursionError as e:
        assert "maximum recursion depth exceeded" in str(e)
    else:
        raise AssertionError("no RecursionError")
assert depth(50) == 50  # the thread is usable after the error

results = []
def worker():
    try:
        depth(10**7)
    except RecursionError:
        results.append(depth(100))
for size in (64 * 1024, 512 * 1024):
    threading.stack_size(size)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
assert results == [100, 100], results
print("ok")
"""


def test_recursion_deeper_than_the_stack_is_a_recursion_error(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "deep_recursion.py"
    script.write_text(DEEP_RECURSION)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


G_BAD_TUPLE = (1, [2])


@jit
def bad_tuple_global(x):
    a, b = G_BAD_TUPLE  # MARK: bad-tuple
    return a + x


def test_a_tuple_global_holding_a_list_names_it():
    with pytest.raises(CompileError) as info:
        bad_tuple_global(1)
    assert info.value.construct == "global of an unsupported type"
    assert info.value.lineno == marker_line("bad-tuple")
    assert "G_BAD_TUPLE" in str(info.value) and "tuple" in str(info.value)
