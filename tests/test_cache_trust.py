"""What the on-disk cache trusts and what it removes (issue 14, A and B), with real processes.

A cache entry is code that will run: entries made without this cache's integrity key (another
user's, copied, forged), symlinks, and directories others can write to or own are refused with
one warning and a recompile, never loaded. And the cache removes only files it wrote, from a
directory it created: other programs' files in a shared directory are never touched.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_cache import entries, run

ROOT = os.geteuid() == 0

MANY = """
import linecache, sys, warnings
warnings.simplefilter("always")
caught = []
warnings.showwarning = lambda message, category, *a, **k: caught.append((category.__name__, str(message)))
from stickyjit import jit
for k in range(int(sys.argv[1]), int(sys.argv[2])):
    src = f"def f{k}(x):\\n    return x * {k} + {k % 7}\\n"
    fn = f"<many-{k}>"
    linecache.cache[fn] = (len(src), None, src.splitlines(True), fn)
    ns = {}
    exec(compile(src, fn, "exec"), ns)
    assert jit(ns[f"f{k}"])(3) == 3 * k + k % 7
import json, stickyjit
print(json.dumps({"warnings": caught, "stats": stickyjit.stats()}))
"""


def many(tmp_path: Path, cache: Path, start: int, stop: int, env_extra: dict | None = None, **popen) -> dict:
    """Compiles `stop - start` small functions in a child process; returns its warnings (as
    (category, message) pairs) and stats."""
    import json

    script = tmp_path / "many_trust.py"
    script.write_text(MANY)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache), **(env_extra or {}))
    env.pop("STICKYJIT_CACHE", None)
    proc = subprocess.run(
        [sys.executable, str(script), str(start), str(stop)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        **popen,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cli(cache: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache), **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "stickyjit", "cache", *args], capture_output=True, text=True, env=env, timeout=60
    )


def age(path: Path, seconds: int = 7200) -> None:
    t = path.stat().st_mtime - seconds
    os.utime(path, (t, t), follow_symlinks=False)


# --- A: the cleanup removes only what the cache wrote -------------------------------------------


def foreign_files(root: Path) -> dict[Path, bytes]:
    """Files other programs keep two levels under a shared directory such as ~/.cache, a few of
    them named as the cache names its own (`*.tmp`, `*.sjo`, `.<hex>.<pid>.<n>.tmp`)."""
    files = {
        root / "pip" / "selfcheck.tmp": b"pip's state",
        root / "fontconfig" / "fonts.sjo": b"a font cache",
        root / "ab" / "download.tmp": b"half a download",
        root / "ab" / "cd0123.sjo": b"not a stickyjit entry",
        root / "ab" / "ab0123.sjo": b"named like an entry, but not one",
        root / "ab" / ".ab0123.77.1.tmp": b"named like a temporary file, but not one",
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        age(path)
    return files


def test_a_shared_directory_loses_nothing_to_the_cache(tmp_path):
    shared = tmp_path / "dot-cache"  # STICKYJIT_CACHE_DIR=~/.cache
    shared.mkdir(mode=0o700)
    (shared / "other-program.sqlite").write_bytes(b"someone's database")
    files = foreign_files(shared)
    # Compiles (the automatic prune runs after the first write: a 1-byte cap would evict every
    # entry it may), then the command line's prune and clear.
    first = many(tmp_path, shared, 0, 30, env_extra={"STICKYJIT_CACHE_SIZE": "1"})
    commands = [cli(shared, *args) for args in (["prune"], ["prune", "--size", "0"], ["clear"])]
    for path, data in files.items():
        assert path.exists() and path.read_bytes() == data, f"{path} was changed or removed"
    assert (shared / "other-program.sqlite").exists()
    assert first["stats"]["cache_writes"] == 30
    assert len(first["warnings"]) == 1 and "not created by stickyjit" in first["warnings"][0][1], first
    for r in commands:
        assert r.returncode == 1 and "not created by stickyjit" in r.stderr and "Traceback" not in r.stderr, r
    # Its own entries are used there all the same: a second run compiles nothing.
    second = many(tmp_path, shared, 0, 30, env_extra={"STICKYJIT_CACHE_SIZE": "1"})
    assert second["stats"]["compiles"] == 0 and second["warnings"] == [], second
    assert not (shared / "CACHEDIR.TAG").exists()


def test_clear_and_prune_in_the_caches_own_directory_leave_other_files_alone(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    files = foreign_files(cache)
    pruned = cli(cache, "prune", "--size", "0")
    run(tmp_path, cache)
    cleared = cli(cache, "clear")
    for path, data in files.items():
        assert path.exists() and path.read_bytes() == data, f"{path} was changed or removed"
    assert entries(cache) == sorted(p for p in files if p.suffix == ".sjo")
    assert pruned.returncode == 0 and "removed 1 entries" in pruned.stdout, pruned
    assert cleared.returncode == 0 and "removed 1 entries" in cleared.stdout and "left 4 files" in cleared.stdout, (
        cleared
    )
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55\n")


# --- B: what is loaded ----------------------------------------------------------------------------


PLANT = """
import json, math, warnings
warnings.simplefilter("always")
caught = []
warnings.showwarning = lambda message, category, *a, **k: caught.append((category.__name__, str(message)))
import stickyjit
from stickyjit import jit
K = {k}

@jit
def kernel(n, x):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i * x + 1.0) - i % K
    return s

def plain(n, x):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i * x + 1.0) - i % K
    return s

print(json.dumps({{"ok": kernel(1000, 0.5) == plain(1000, 0.5), "stats": stickyjit.stats(), "warnings": caught}}))
"""


def plant(tmp_path: Path, cache: Path, k: int, env_extra: dict | None = None) -> dict:
    import json

    script = tmp_path / f"plant_{k}.py"
    script.write_text(PLANT.format(k=k))
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache), **(env_extra or {}))
    env.pop("STICKYJIT_CACHE", None)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_code_planted_under_another_key_is_never_run(tmp_path):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    plant(tmp_path, mine, 7)
    plant(tmp_path, theirs, 5)  # other code: K is frozen into it
    ((entry,), (other,)) = entries(mine), entries(theirs)
    # Someone who can write an entry (another user, a copied archive) puts other code under my
    # function's key: a whole, well-formed entry, but not made with my key for that key.
    shutil.copyfile(other, entry)
    r = plant(tmp_path, mine, 7)
    assert r["ok"], "the planted code ran"
    assert r["stats"]["compiles"] == 1
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]
    assert "integrity key" in r["warnings"][0][1]
    again = plant(tmp_path, mine, 7)
    assert again["ok"] and again["stats"]["compiles"] == 0 and again["warnings"] == []


def test_an_entry_copied_from_another_users_cache_is_refused(tmp_path):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    run(tmp_path, mine)
    run(tmp_path, theirs)
    ((entry,), (other,)) = entries(mine), entries(theirs)
    shutil.copyfile(other, entry)  # the same code, but signed with another user's key
    r = run(tmp_path, mine)
    assert r["ok"] and r["stats"]["compiles"] == 1
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"] and "integrity key" in r["warnings"][0][1], r["warnings"]


def test_the_integrity_key_is_private_and_kept(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    key = cache / "integrity.key"
    assert stat.S_IMODE(key.lstat().st_mode) == 0o600 and key.stat().st_size == 32
    before = key.read_bytes()
    run(tmp_path, cache)
    assert key.read_bytes() == before
    key.chmod(0o644)
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["cache_hits"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"] and "0644" in r["warnings"][0][1], r["warnings"]


def test_a_symlinked_entry_is_refused(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (entry,) = entries(cache)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    entry.rename(elsewhere / "planted.sjo")
    entry.symlink_to(elsewhere / "planted.sjo")
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"] and "symbolic link" in r["warnings"][0][1], r["warnings"]
    assert not entry.is_symlink()  # replaced by a real entry
    assert run(tmp_path, cache)["stats"]["compiles"] == 0


def test_a_symlinked_shard_directory_is_refused(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (entry,) = entries(cache)
    shard = entry.parent
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    shard.rename(elsewhere / shard.name)
    shard.symlink_to(elsewhere / shard.name)
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_writes"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"] and "symbolic link" in r["warnings"][0][1], r["warnings"]


def test_a_group_writable_shard_directory_is_refused(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (entry,) = entries(cache)
    entry.parent.chmod(0o770)
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_hits"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]
    assert "writable by others" in r["warnings"][0][1]


@pytest.mark.skipif(not ROOT, reason="only root can give a directory to another user")
def test_a_shard_directory_owned_by_another_user_is_refused(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (entry,) = entries(cache)
    os.chown(entry.parent, 4242, -1)
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_hits"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"] and "uid 4242" in r["warnings"][0][1], r["warnings"]


def test_a_shared_key_file_lets_caches_share_entries_on_purpose(tmp_path):
    key = tmp_path / "cluster.key"
    key.write_bytes(os.urandom(32))
    key.chmod(0o640)
    shared = {"STICKYJIT_CACHE_KEY_FILE": str(key)}
    built, copied = tmp_path / "built", tmp_path / "copied"
    assert run(tmp_path, built, env_extra=shared)["stats"]["compiles"] == 1
    assert not (built / "integrity.key").exists()
    shutil.copytree(built, copied)  # e.g. a cache directory restored on another node
    r = run(tmp_path, copied, env_extra=shared)
    assert r["ok"] and r["stats"]["compiles"] == 0 and r["warnings"] == []
    # Without the shared key the copy is a stranger's: refused.
    r = run(tmp_path, copied)
    assert r["ok"] and r["stats"]["compiles"] == 1 and "integrity key" in r["warnings"][0][1], r["warnings"]


@pytest.mark.parametrize("problem", ["missing", "writable"])
def test_an_unusable_key_file_is_one_warning(tmp_path, problem):
    key = tmp_path / "cluster.key"
    if problem == "writable":
        key.write_bytes(os.urandom(32))
        key.chmod(0o666)
    r = run(tmp_path, tmp_path / "cache", env_extra={"STICKYJIT_CACHE_KEY_FILE": str(key)})
    assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_writes"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"] and str(key) in r["warnings"][0][1], r["warnings"]
