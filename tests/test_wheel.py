"""The installable wheel (docs/install.md): LLVM is linked into the extension statically, so
nothing of LLVM is needed at run time; a release wheel (``maturin build --release``, which
``make wheel`` runs) is stripped, declares NumPy, carries a manylinux tag with the shared
libraries outside the manylinux set bundled (maturin's auditwheel repair), and installs into a
fresh virtual environment where a jitted function compiles and runs with no LLVM library
loaded in the process.

The wheel test runs maturin (it re-links the extension: about 20 s, most of it compressing the
wheel), so it takes the build lock's place: `make test` holds the lock while it runs; run it by
hand as ``flock /tmp/sj-build.lock .venv/bin/python -m pytest tests/test_wheel.py``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a type checker reads (docs/typing.md): py.typed and every stub.
TYPED = ["stickyjit/py.typed", *sorted(f"stickyjit/{p.name}" for p in (ROOT / "python/stickyjit").glob("*.pyi"))]

# What a manylinux wheel may need from the system (auditwheel's policies: the C and C++
# runtimes, libm, libz, the dynamic loader), and what the wheel bundles instead (libffi and
# libzstd: LLVM's static libraries use them).
SYSTEM = {
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "librt.so.1",
    "libpthread.so.0",
    "libgcc_s.so.1",
    "libstdc++.so.6",
    "libz.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
}
BUNDLED = {"libffi.so.8", "libzstd.so.1"}


def dynamic_section(path) -> tuple[list[str], list[str]]:
    """(NEEDED libraries, RPATH/RUNPATH entries) of the ELF file at `path`."""
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    paths = [
        p for m in re.findall(r"\((?:RPATH|RUNPATH)\)\s+Library r(?:un)?path: \[([^\]]*)\]", out) for p in m.split(":")
    ]
    return needed, paths


def is_llvm(name: str) -> bool:
    return any(w in name.lower() for w in ("llvm", "clang", "polly"))


def test_the_built_extension_needs_no_llvm_library_at_run_time():
    import stickyjit._native

    # (`maturin develop` gives the development build an RPATH of cargo's link directories,
    # /usr/lib/llvm-22/lib among them; nothing it needs is looked up there.)
    needed, _ = dynamic_section(stickyjit._native.__file__)
    assert needed, "readelf found no dynamic section"
    assert not [n for n in needed if is_llvm(n)], needed
    assert set(needed) <= SYSTEM | BUNDLED, set(needed) - SYSTEM - BUNDLED
    # A process that compiled and ran a function has no LLVM library loaded.
    p = subprocess.run([sys.executable, "-c", MAPS], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["right"] and any("_native" in m for m in out["mapped"]), out
    assert not [m for m in out["mapped"] if is_llvm(m)], out


MAPS = """
import json, linecache
import stickyjit
src = "def f(x):\\n    return x * 2.5 + 1.0\\n"
linecache.cache["<maps>"] = (len(src), None, src.splitlines(True), "<maps>")
ns = {}
exec(compile(src, "<maps>", "exec"), ns)
f = stickyjit.jit(cache=False)(ns["f"])
with open("/proc/self/maps") as fh:
    mapped = sorted({line.split()[-1] for line in fh if ".so" in line})
print(json.dumps({"right": f(3.0) == 8.5, "mapped": mapped}))
"""


SMOKE = """
import json, os, sys
import numpy as np
import stickyjit
from stickyjit import jit


@jit
def energy(a, scale):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i] * scale
    return s


a = np.linspace(-1.0, 2.0, 101)
got = energy(a, 0.5)
with open("/proc/self/maps") as f:
    mapped = sorted({line.split()[-1] for line in f if ".so" in line})
print(json.dumps({
    "right": bool(got == energy.py_func(a, 0.5)),
    "module": stickyjit._native.__file__,
    "prefix": sys.prefix,
    "mapped": mapped,
    "stats": stickyjit.stats(),
}))
"""


def build_env() -> dict:
    env = dict(os.environ)
    env.setdefault("LLVM_SYS_221_PREFIX", "/usr/lib/llvm-22")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def build_wheel(command: list[str], out: Path) -> Path:
    """Runs a wheel build in the source tree; the one wheel it wrote to `out`. As `make wheel`:
    maturin patches cargo's artifact of the extension in place (a repair renames the bundled
    libraries in it), so it is removed before and after the build."""
    artifacts = [ROOT / "target" / "release" / "deps" / "lib_native.so", ROOT / "target" / "maturin" / "lib_native.so"]
    for a in artifacts:
        a.unlink(missing_ok=True)
    try:
        build = subprocess.run(command, cwd=ROOT, env=build_env(), capture_output=True, text=True, timeout=1800)
    finally:
        for a in artifacts:
            a.unlink(missing_ok=True)
    assert build.returncode == 0, build.stderr[-4000:]
    (wheel,) = out.glob("*.whl")
    return wheel


def unpack_extension(wheel: Path, into: Path) -> tuple[list[str], str, Path]:
    """The wheel's file names, its METADATA, and its extension extracted under `into`."""
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        extension = next(n for n in names if re.fullmatch(r"stickyjit/_native\..*\.so", n))
        z.extract(extension, into)
    return names, metadata, into / extension


def is_stripped(extension: Path) -> bool:
    """No symbol table (the dynamic symbols Python needs stay)."""
    sections = subprocess.run(["readelf", "-S", str(extension)], capture_output=True, text=True, check=True).stdout
    return " .symtab" not in sections and " .dynsym" in sections


@pytest.mark.skipif(platform.system() != "Linux", reason="manylinux wheels")
def test_pip_builds_a_stripped_wheel_from_the_source_tree(tmp_path):
    # `pip install .` and `pip wheel .` go through maturin's PEP 517 backend (here without build
    # isolation: the maturin of this venv, not one fetched for the build).
    out = tmp_path / "pip"
    command = [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q", "-w", str(out), "."]
    wheel = build_wheel(command, out)
    assert re.fullmatch(r"stickyjit-[^-]+-cp3\d+-cp3\d+-(linux|manylinux_\d+_\d+)_\w+\.whl", wheel.name), wheel.name
    names, metadata, extension = unpack_extension(wheel, tmp_path / "unpacked")
    assert "Requires-Dist: numpy>=2" in metadata.splitlines(), metadata
    assert set(TYPED) <= set(names), names
    assert is_stripped(extension)
    needed, paths = dynamic_section(extension)
    assert not [n for n in needed if is_llvm(n)] and not [p for p in paths if is_llvm(p)], (needed, paths)
    assert set(needed) <= SYSTEM | BUNDLED, needed


@pytest.mark.skipif(platform.system() != "Linux", reason="manylinux wheels")
def test_a_release_wheel_installs_into_a_fresh_venv_and_runs_without_llvm(tmp_path):
    env = build_env()
    wheels = tmp_path / "wheels"
    command = [sys.executable, "-m", "maturin", "build", "--release", "--auditwheel", "repair"]
    wheel = build_wheel(command + ["--interpreter", sys.executable, "--out", str(wheels)], wheels)

    # The tag: this CPython, a manylinux glibc no newer than this machine's.
    tag = re.fullmatch(r"stickyjit-[^-]+-(cp3\d+)-(cp3\d+)-manylinux_(\d+)_(\d+)_(\w+)\.whl", wheel.name)
    assert tag, wheel.name
    assert tag.group(1) == f"cp3{sys.version_info.minor}"
    glibc = tuple(int(x) for x in os.confstr("CS_GNU_LIBC_VERSION").split()[1].split(".")[:2])
    assert (int(tag.group(3)), int(tag.group(4))) <= glibc, (wheel.name, glibc)

    names, metadata, extension = unpack_extension(wheel, tmp_path / "unpacked")
    assert "Requires-Dist: numpy>=2" in metadata.splitlines(), metadata
    assert set(TYPED) <= set(names), names
    bundled = {Path(n).name for n in names if n.startswith("stickyjit.libs/")}
    assert is_stripped(extension)
    needed, paths = dynamic_section(extension)
    assert not [n for n in needed if is_llvm(n)] and not [p for p in paths if is_llvm(p)], (needed, paths)
    # Every library it needs is the system's (manylinux) or travels in the wheel.
    assert all(n in SYSTEM or n in bundled for n in needed), (needed, bundled)

    # A fresh venv, the wheel and its declared dependencies (NumPy) from the package index.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    vpy = venv / "bin" / "python"
    clean = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "LLVM", "LD_", "VIRTUAL_ENV"))}
    clean["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not is_llvm(p) and ".venv" not in p)
    clean["STICKYJIT_CACHE_DIR"] = str(tmp_path / "cache")
    install = subprocess.run(
        [str(vpy), "-m", "pip", "install", "-q", str(wheel)], env=clean, capture_output=True, text=True, timeout=900
    )
    assert install.returncode == 0, install.stderr[-4000:]

    # Run from a directory outside the source tree: the installed package, nothing else.
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "smoke.py").write_text(SMOKE)
    run = subprocess.run(
        [str(vpy), "smoke.py"], cwd=tmp_path / "run", env=clean, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-4000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["right"] and out["stats"]["compiles"] == 1, out
    assert out["module"].startswith(str(venv)), out["module"]
    assert not [m for m in out["mapped"] if is_llvm(m)], out["mapped"]
    # The bundled libraries are the ones loaded (from the wheel's stickyjit.libs).
    assert any("stickyjit.libs" in m for m in out["mapped"]), out["mapped"]
    cli = subprocess.run(
        [str(vpy), "-m", "stickyjit", "--version"],
        cwd=tmp_path / "run",
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0 and "LLVM 22" in cli.stdout, (cli.stdout, cli.stderr)
    shutil.rmtree(venv, ignore_errors=True)
