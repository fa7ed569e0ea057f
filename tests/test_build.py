"""The built extension: LLVM linked statically, package layout as promised."""

import os
import pathlib
import re
import shutil
import subprocess

import pytest

import stickyjit
from stickyjit import _native


def test_llvm_is_linked_statically():
    if shutil.which("ldd") is None:
        pytest.fail("ldd is needed to check the extension's dynamic dependencies")
    out = subprocess.run(["ldd", _native.__file__], capture_output=True, text=True, check=True).stdout
    assert "libLLVM" not in out, out


def test_package_ships_stub_and_marker():
    pkg = pathlib.Path(stickyjit.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_native.pyi").exists()


def test_import_does_not_pull_in_heavy_modules():
    code = (
        "import sys, stickyjit; print('numpy' in sys.modules, 'stickyjit._support' in sys.modules,"
        " 'stickyjit._pickle' in sys.modules, 'pickle' in sys.modules)"
    )
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False", "False"]


ROOT = pathlib.Path(__file__).resolve().parent.parent


def make_dry_run(*args: str) -> str:
    """What `make -n ARGS` would run (nothing is run)."""
    if shutil.which("make") is None:
        pytest.fail("make is needed")
    # Not the variables of a make this test runs under (`make test-pythons` passes PYTHON=... to
    # its sub-make through MAKEFLAGS): the dry run is of a plain `make ARGS`.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON")}
    p = subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_another_python_gets_its_own_venv_and_the_default_keeps_dot_venv():
    import sys

    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert ".venv/bin/python -m pytest -q tests" in make_dry_run("py-test")
    other = make_dry_run("py-test", f"PYTHON={sys.executable}")
    assert f".venv-{version}/bin/python -m pytest -q tests" in other
    assert not re.search(r"(^|\s)\.venv/", other), other  # `.venv` itself is never touched


def test_test_pythons_runs_the_suite_under_each_interpreter_after_one_lint_and_rust_run():
    import sys

    out = make_dry_run("test-pythons", f"PYTHONS={sys.executable} {sys.executable} {sys.executable}")
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert out.count("cargo clippy") == 1 and out.count("cargo test --release") == 1, out
    assert out.count(f".venv-{version}/bin/python -m pytest -q tests") == 3, out
