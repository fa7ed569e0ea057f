"""inspect_types / inspect_llvm / inspect_asm, and STICKYJIT_DUMP at compile time."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from stickyjit import jit


@jit
def scaled_sum(n, scale):
    s = 0.0
    for i in range(n):
        s += i * scale
    return s


@jit
def rec_fib(n):
    if n < 2:
        return n
    return rec_fib(n - 1) + rec_fib(n - 2)


@pytest.fixture(scope="module")
def compiled():
    assert scaled_sum(10, 0.5) == scaled_sum.py_func(10, 0.5)
    assert scaled_sum(10, 2) == scaled_sum.py_func(10, 2)
    assert rec_fib(10) == 55
    return [("int64", "float64"), ("int64", "int64")]


def test_inspect_before_any_compile_is_empty():
    @jit
    def never_called(x):
        return x

    assert never_called.inspect_types() == {}
    assert never_called.inspect_llvm() == {}
    assert never_called.inspect_asm() == {}


def test_inspect_types(compiled):
    d = scaled_sum.inspect_types()
    assert isinstance(d, dict)
    assert set(d) == set(compiled) == set(scaled_sum.signatures)
    for sig, text in d.items():
        assert isinstance(text, str) and text.strip()
        assert "scaled_sum" in text
        for name in ("n", "scale", "s", "i"):
            assert name in text
        assert "int64" in text
        assert "float64" in text
    assert "scale: int64" in d[("int64", "int64")]
    assert "scale: float64" in d[("int64", "float64")]
    # One signature: the text alone.
    assert scaled_sum.inspect_types(("int64", "int64")) == d[("int64", "int64")]


def test_inspect_llvm(compiled):
    d = scaled_sum.inspect_llvm()
    assert set(d) == set(compiled)
    for text in d.values():
        assert "define" in text
        assert "ret " in text
        assert "double" in text
    one = scaled_sum.inspect_llvm(("int64", "float64"))
    assert isinstance(one, str) and "define" in one


def test_inspect_asm(compiled):
    d = scaled_sum.inspect_asm()
    assert set(d) == set(compiled)
    for text in d.values():
        assert text.strip()
        assert "ret" in text
    one = scaled_sum.inspect_asm(("int64", "int64"))
    assert isinstance(one, str) and one.strip()


def test_inspect_recursive_function(compiled):
    assert "rec_fib" in rec_fib.inspect_types(("int64",))
    llvm = rec_fib.inspect_llvm(("int64",))
    assert "define" in llvm and "rec_fib" in llvm
    assert rec_fib.inspect_asm(("int64",)).strip()


def test_inspect_unknown_signature_is_an_error(compiled):
    with pytest.raises(TypeError):
        scaled_sum.inspect_types(("float64", "float64"))


def test_inspect_does_not_change_results_or_signatures(compiled):
    before = list(scaled_sum.signatures)
    scaled_sum.inspect_types()
    scaled_sum.inspect_llvm()
    scaled_sum.inspect_asm()
    assert scaled_sum.signatures == before
    assert scaled_sum(7, 0.25) == scaled_sum.py_func(7, 0.25)


SCRIPT = textwrap.dedent(
    """
    from stickyjit import jit

    @jit
    def dumped_fn(a, b):
        return a * b + 1

    print(dumped_fn(6, 7))
    print(dumped_fn(1.5, 2))
    """
)


def _run(tmp_path, dump):
    script = tmp_path / "dump_script.py"
    script.write_text(SCRIPT)
    env = dict(os.environ)
    env.pop("STICKYJIT_DUMP", None)
    if dump is not None:
        env["STICKYJIT_DUMP"] = dump
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
    )


def test_dump_everything_at_compile_time(tmp_path):
    r = _run(tmp_path, "ir,llvm,asm")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["43", "4.0"]
    err = r.stderr
    assert "typed IR" in err and "LLVM IR" in err and "assembly" in err
    assert "dumped_fn" in err
    assert "(int64, int64)" in err and "(float64, int64)" in err
    assert "define" in err
    assert "a: int64" in err and "a: float64" in err
    # Both specializations are dumped, each once per kind of text.
    assert err.count("typed IR") == 2
    assert err.count("assembly") == 2


@pytest.mark.parametrize(
    "dump,present,absent",
    [
        ("ir", ["typed IR"], ["LLVM IR", "assembly"]),
        ("llvm", ["LLVM IR", "define"], ["typed IR", "assembly"]),
        ("asm", ["assembly"], ["typed IR", "LLVM IR"]),
        ("asm, IR", ["assembly", "typed IR"], ["LLVM IR"]),
        ("all", ["typed IR", "LLVM IR", "assembly"], []),
        # Whole words only: "tir" and "llvmir" are not "ir" or "llvm".
        ("tir,llvmir", [], ["typed IR", "LLVM IR", "assembly"]),
        (None, [], ["typed IR", "LLVM IR", "assembly"]),
    ],
)
def test_dump_selected_texts(tmp_path, dump, present, absent):
    r = _run(tmp_path, dump)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["43", "4.0"]
    for p in present:
        assert p in r.stderr
    for a in absent:
        assert a not in r.stderr
