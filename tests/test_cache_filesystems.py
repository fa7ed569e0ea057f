"""The on-disk cache on file systems that lack what a local disk has (docs/scaling.md): renames,
hard links or file locks refused by the kernel (tests/fs_sandbox.py: a seccomp filter in a real
child process, the real extension unchanged).

* Without renames, an entry is published by a hard link instead (atomic too, never a torn read):
  processes share entries as on a local disk, eight compiling one key at once included.
* Without renames and hard links, nothing is ever written in place: one warning, the code is
  used from memory, the answer is right; an existing cache is still read.
* stickyjit takes no file locks, so a file system without them changes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fs_sandbox import supported
from test_cache import SCRIPT

pytestmark = pytest.mark.skipif(not supported(), reason="seccomp sandbox: Linux x86-64 or aarch64")

HERE = Path(__file__).resolve().parent


def start(tmp_path: Path, cache: Path, denied: str | None, err: str = "EPERM") -> subprocess.Popen:
    # Written once: rewriting it while an earlier child is still reading it would hand that
    # child a truncated (empty) script, which runs nothing and exits 0.
    script = tmp_path / "cached_kernel.py"
    if not script.exists():
        script.write_text(SCRIPT.format(options=""))
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
    env.pop("STICKYJIT_CACHE", None)
    args = (
        [sys.executable, str(HERE / "fs_sandbox.py"), denied, err, str(script)]
        if denied
        else [sys.executable, str(script)]
    )
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish(p: subprocess.Popen) -> dict:
    try:
        out, err = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail("the sandboxed process hung")
    assert p.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def run(tmp_path: Path, cache: Path, denied: str | None, err: str = "EPERM") -> dict:
    return finish(start(tmp_path, cache, denied, err))


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.sjo"))


@pytest.mark.parametrize("err", ["EPERM", "EOPNOTSUPP", "ENOSYS", "EXDEV"])
def test_without_renames_entries_are_published_by_hard_link_and_shared(tmp_path, err):
    cache = tmp_path / "cache"
    first = run(tmp_path, cache, "rename", err)
    assert first["ok"] and first["warnings"] == [], first
    assert first["stats"]["compiles"] == 1 and first["stats"]["cache_writes"] == 1
    assert len(entries(cache)) == 1 and not list(cache.rglob("*.tmp"))
    second = run(tmp_path, cache, "rename", err)
    assert second["ok"] and second["warnings"] == [], second
    assert second["stats"]["compiles"] == 0 and second["stats"]["cache_hits"] == 1
    # The entry is an ordinary one: a process with renames loads it too.
    third = run(tmp_path, cache, None)
    assert third["ok"] and third["stats"]["compiles"] == 0 and third["warnings"] == []


def test_without_renames_eight_processes_compiling_one_key_at_once_leave_one_valid_entry(tmp_path):
    cache = tmp_path / "cache"
    results = [finish(p) for p in [start(tmp_path, cache, "rename") for _ in range(8)]]
    assert all(r["ok"] and r["warnings"] == [] for r in results), results
    assert sum(r["stats"]["compiles"] for r in results) >= 1
    assert len(entries(cache)) == 1 and not list(cache.rglob("*.tmp"))
    after = run(tmp_path, cache, None)
    assert after["ok"] and after["stats"]["compiles"] == 0 and after["warnings"] == []


def test_without_renames_or_hard_links_the_code_is_used_from_memory_with_one_warning(tmp_path):
    cache = tmp_path / "cache"
    for _ in range(2):  # each process: a miss, a compile, one warning, the right answer
        r = run(tmp_path, cache, "rename,link")
        assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_writes"] == 0, r
        assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]
        assert "could not write the cache" in r["warnings"][0][1]
        assert "Operation not permitted" in r["warnings"][0][1]
    # Nothing half-written; the integrity key and the marker were created in place (the key
    # file has no other way without links), and are whole.
    assert entries(cache) == [] and not list(cache.rglob("*.tmp"))
    assert (cache / "integrity.key").stat().st_size == 32
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    # A cache written elsewhere (or before) is still read where nothing can be written.
    run(tmp_path, cache, None)
    r = run(tmp_path, cache, "rename,link")
    assert r["ok"] and r["stats"]["compiles"] == 0 and r["stats"]["cache_hits"] == 1 and r["warnings"] == []


def test_file_locks_are_never_needed(tmp_path):
    cache = tmp_path / "cache"
    first = run(tmp_path, cache, "lock", "ENOLCK")
    assert first["ok"] and first["warnings"] == [] and first["stats"]["cache_writes"] == 1, first
    second = run(tmp_path, cache, "lock", "ENOLCK")
    assert second["ok"] and second["warnings"] == [] and second["stats"]["cache_hits"] == 1, second
