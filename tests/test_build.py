"""The built extension: LLVM linked statically, package layout as promised."""

import pathlib
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
    code = "import sys, stickyjit; print('numpy' in sys.modules, 'stickyjit._support' in sys.modules)"
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
