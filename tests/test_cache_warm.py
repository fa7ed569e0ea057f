"""`python -m stickyjit cache warm | export | import` (issue 22, point 3), in real processes:
warming compiles named functions for given argument types into the cache without running them,
so that a later process's first call loads instead of compiling; export writes every usable
entry to a tarball with a checksum per entry, and import verifies every checksum before it
writes anything, into a cache that then serves another process. Answers are checked against
CPython's (the Python function run by the process itself).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from test_cache import entries

MODULE = """
import numpy as np
from stickyjit import jit

RATE = 0.5


@jit
def total(a, k):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * k * RATE
    return s


@jit
def square(x):
    return x * x


def plain(x):
    return x


@jit("float64(float64)")
def declared(x):
    return x + 1.0
"""

# A later process: calls each function as a user would and prints the answers, CPython's answers
# and the counters.
CALLER = """
import json
import numpy as np
import stickyjit
import warmed

a = np.arange(7.0)
got = [warmed.total(a, 3), warmed.square(2.5), warmed.square(4)]
want = [warmed.total.py_func(a, 3), warmed.square.py_func(2.5), warmed.square.py_func(4)]
print(json.dumps({"got": got, "want": want, "stats": stickyjit.stats()}))
"""


def env(tmp_path: Path, cache: Path) -> dict:
    return dict(os.environ, STICKYJIT_CACHE_DIR=str(cache), PYTHONPATH=str(tmp_path))


def setup(tmp_path: Path) -> None:
    (tmp_path / "warmed.py").write_text(MODULE)
    (tmp_path / "caller.py").write_text(CALLER)


def cli(tmp_path: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stickyjit", "cache", *args],
        capture_output=True,
        text=True,
        env=env(tmp_path, cache),
        cwd=tmp_path,
        timeout=120,
    )


def call(tmp_path: Path, cache: Path) -> dict:
    p = subprocess.run(
        [sys.executable, "caller.py"],
        capture_output=True,
        text=True,
        env=env(tmp_path, cache),
        cwd=tmp_path,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["got"] == out["want"] and [type(x) for x in out["got"]] == [type(x) for x in out["want"]], out
    return out["stats"]


def warm(tmp_path: Path, cache: Path) -> subprocess.CompletedProcess:
    return cli(
        tmp_path,
        cache,
        "warm",
        "warmed:total",
        "warmed:square",
        "--signature",
        "float64(float64[::1], int64)",
        "-s",
        "(float64,)",
        "-s",
        "int64(int64)",
    )


def test_warm_compiles_into_the_cache_and_a_later_process_compiles_nothing(tmp_path):
    setup(tmp_path)
    cache = tmp_path / "cache"
    r = warm(tmp_path, cache)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("compiled and written to the cache") == 3, r.stdout
    assert "warmed:total(array(float64, 1d, C), int64) -> float64" in r.stdout
    assert len(entries(cache)) == 4  # and `declared`, compiled when warming imported the module
    stats = call(tmp_path, cache)
    assert (stats["compiles"], stats["cache_hits"]) == (0, 4), stats
    # Warming again finds everything in the cache.
    r = warm(tmp_path, cache)
    assert r.returncode == 0 and r.stdout.count("already in the cache") == 3, r.stdout


def test_warm_a_whole_module_skips_functions_of_another_arity(tmp_path):
    setup(tmp_path)
    cache = tmp_path / "cache"
    r = cli(tmp_path, cache, "warm", "warmed", "-s", "(float64,)")
    assert r.returncode == 0, r.stderr
    assert "warmed:square(float64) -> float64: compiled" in r.stdout
    assert "warmed:total: skipped (it takes 2 arguments; no signature has 2)" in r.stdout
    # A function with declared signatures compiled when the module was imported.
    assert "warmed:declared: declared float64(float64): compiled when imported" in r.stdout


def test_warm_errors_are_reported_with_a_failing_exit_status(tmp_path):
    setup(tmp_path)
    cache = tmp_path / "cache"
    cases = [
        (["warmed:plain", "-s", "(float64,)"], 1, "warmed:plain is not a jitted function"),
        (["warmed:total", "-s", "(float64,)"], 1, "warmed:total takes 2 arguments; no signature given has 2"),
        (["warmed:square", "-s", "int64(float64)"], 1, "it returns float64, not int64"),
        (["warmed:nothing", "-s", "(float64,)"], 1, "warmed has no nothing"),
        (["no_such_module", "-s", "(float64,)"], 1, "cannot import no_such_module"),
        (["warmed:square", "-s", "float64(float65)"], 2, "--signature"),
        (["warmed:square"], 2, "--signature"),
    ]
    for args, status, message in cases:
        r = cli(tmp_path, cache, "warm", *args)
        assert r.returncode == status and message in r.stderr, (args, r)
        assert "Traceback" not in r.stderr, r.stderr


def test_export_then_import_serves_another_cache_directory(tmp_path):
    setup(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    assert warm(tmp_path, first).returncode == 0
    r = cli(tmp_path, first, "export", "warm.tar.gz")
    assert r.returncode == 0 and "exported 4 entries" in r.stdout, r
    # Never over an existing file.
    r = cli(tmp_path, first, "export", "warm.tar.gz")
    assert r.returncode == 1 and "File exists" in r.stderr, r
    r = cli(tmp_path, second, "import", "warm.tar.gz")
    assert r.returncode == 0 and "imported 4 entries" in r.stdout, r
    stats = call(tmp_path, second)
    assert (stats["compiles"], stats["cache_hits"]) == (0, 4), stats
    r = cli(tmp_path, second, "import", "warm.tar.gz")
    assert r.returncode == 0 and "imported 0 entries (4 already present)" in r.stdout, r


def rewrite(src: Path, dst: Path, change) -> None:
    """A copy of tarball `src` with `change(name, data)` applied to each member's bytes."""
    with tarfile.open(src) as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin.getmembers():
            data = change(m.name, tin.extractfile(m).read())
            info = tarfile.TarInfo(m.name)
            info.size = len(data)
            tout.addfile(info, io.BytesIO(data))


def test_import_verifies_every_checksum_before_writing_anything(tmp_path):
    setup(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    assert warm(tmp_path, first).returncode == 0
    assert cli(tmp_path, first, "export", "warm.tar.gz").returncode == 0
    objects = []

    def flip_last_object(name: str, data: bytes) -> bytes:
        if name.endswith(".o"):
            objects.append(name)
            if len(objects) == 4:  # the last one: the first three were fine
                return data[:-1] + bytes([data[-1] ^ 1])
        return data

    rewrite(tmp_path / "warm.tar.gz", tmp_path / "flipped.tar.gz", flip_last_object)
    r = cli(tmp_path, second, "import", "flipped.tar.gz")
    assert r.returncode == 1 and "does not match its checksum" in r.stderr and "nothing imported" in r.stderr, r
    assert entries(second) == []

    # A member that is not a plain file (a link) makes the tarball foreign: refused whole.
    with tarfile.open(tmp_path / "warm.tar.gz") as tin, tarfile.open(tmp_path / "link.tar.gz", "w:gz") as tout:
        for m in tin.getmembers():
            tout.addfile(m, tin.extractfile(m))
        link = tarfile.TarInfo("stickyjit-cache/objects/evil.o")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tout.addfile(link)
    r = cli(tmp_path, second, "import", "link.tar.gz")
    assert r.returncode == 1 and "unexpected member" in r.stderr, r
    assert entries(second) == []
    r = cli(tmp_path, second, "import", "no-such.tar.gz")
    assert r.returncode == 1 and "cannot read" in r.stderr and "Traceback" not in r.stderr, r


def test_import_leaves_a_file_it_did_not_write_alone(tmp_path):
    setup(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    assert warm(tmp_path, first).returncode == 0
    assert cli(tmp_path, first, "export", "warm.tar.gz").returncode == 0
    # The second cache exists (a compile made it); someone else's file sits where one entry goes.
    assert cli(tmp_path, second, "import", "warm.tar.gz").returncode == 0
    victim = entries(second)[0]
    victim.write_bytes(b"not stickyjit's\n")
    r = cli(tmp_path, second, "import", "warm.tar.gz")
    assert r.returncode == 1 and "not a file stickyjit wrote: left alone" in r.stderr, r
    assert victim.read_bytes() == b"not stickyjit's\n"
