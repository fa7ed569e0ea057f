"""The on-disk cache, tested with real processes: a later process loads instead of compiling,
faults lose nothing and never give a wrong answer, and the key is the same in every process.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json, math, sys, warnings
warnings.simplefilter("always")
caught = []
warnings.showwarning = lambda message, category, *a, **k: caught.append((category.__name__, str(message)))
import stickyjit
from stickyjit import jit

@jit{options}
def kernel(n, x):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i * x + 1.0) - i % 7
    return s

def plain(n, x):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i * x + 1.0) - i % 7
    return s

got = kernel(1000, 0.5)
print(json.dumps({{"ok": got == plain(1000, 0.5), "stats": stickyjit.stats(), "warnings": caught}}))
"""


def run(tmp_path: Path, cache_dir: Path, options: str = "", env_extra: dict | None = None) -> dict:
    script = tmp_path / "cached_kernel.py"
    script.write_text(SCRIPT.format(options=options))
    env = dict(os.environ)
    env["STICKYJIT_CACHE_DIR"] = str(cache_dir)
    env.pop("STICKYJIT_CACHE", None)
    env.update(env_extra or {})
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("*.sjo"))


def test_a_later_process_loads_instead_of_compiling(tmp_path):
    cache = tmp_path / "cache"
    first = run(tmp_path, cache)
    assert first["ok"] and first["stats"]["compiles"] == 1 and first["stats"]["cache_writes"] == 1
    assert first["warnings"] == []
    assert len(entries(cache)) == 1
    second = run(tmp_path, cache)
    assert second["ok"]
    assert second["stats"]["compiles"] == 0 and second["stats"]["cache_hits"] == 1
    assert second["warnings"] == []


def test_directory_and_files_are_private(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    (entry,) = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("damage", ["truncate", "flip", "version", "empty"])
def test_a_damaged_entry_is_warned_about_recompiled_and_replaced(tmp_path, damage):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (entry,) = entries(cache)
    data = bytearray(entry.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x10
    elif damage == "version":
        data[8] ^= 0xFF
    else:
        data = bytearray()
    entry.write_bytes(bytes(data))
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]
    again = run(tmp_path, cache)
    assert again["ok"] and again["stats"]["compiles"] == 0 and again["warnings"] == []


def test_an_unwritable_directory_is_one_warning_and_compiling_goes_on(tmp_path):
    if os.geteuid() == 0:
        # root writes anywhere: make the "directory" a file instead.
        cache = tmp_path / "not-a-directory"
        cache.write_text("")
    else:
        cache = tmp_path / "cache"
        cache.mkdir(mode=0o500)
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]


def test_a_directory_writable_by_others_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    r = run(tmp_path, cache)
    assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_writes"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"]
    assert "writable by others" in r["warnings"][0][1]
    assert entries(cache) == []


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_cache_can_be_turned_off(tmp_path, how):
    cache = tmp_path / "cache"
    if how == "option":
        r = run(tmp_path, cache, options="(cache=False)")
    else:
        r = run(tmp_path, cache, env_extra={"STICKYJIT_CACHE": "0"})
    assert r["ok"] and r["stats"]["compiles"] == 1 and r["stats"]["cache_writes"] == 0
    assert entries(cache) == []


def test_the_key_is_the_same_for_every_hash_seed(tmp_path):
    names = set()
    for seed in ("0", "1", "12345", "random"):
        cache = tmp_path / f"cache-{seed}"
        run(tmp_path, cache, env_extra={"PYTHONHASHSEED": seed})
        names.update(p.name for p in entries(cache))
    assert len(names) == 1, names


def test_eight_processes_compiling_the_same_key_at_once(tmp_path):
    cache = tmp_path / "cache"
    script = tmp_path / "cached_kernel.py"
    script.write_text(SCRIPT.format(options=""))
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
    procs = [
        subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(8)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["ok"] and r["warnings"] == [] for r in results)
    assert len(entries(cache)) == 1
    assert not list(cache.rglob("*.tmp"))
    after = run(tmp_path, cache)
    assert after["ok"] and after["stats"]["compiles"] == 0


def test_jit_rejects_a_non_bool_cache_option():
    from stickyjit import jit

    with pytest.raises(TypeError, match="cache"):
        jit(cache="yes")


def cli(cache_dir: Path, *args: str, env_extra: dict | None = None) -> str:
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache_dir), **(env_extra or {}))
    proc = subprocess.run(
        [sys.executable, "-m", "stickyjit", "cache", *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_command_line(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    info = cli(cache, "info")
    assert str(cache) in info and "entries:   1" in info
    listing = cli(cache, "list")
    assert "kernel" in listing and "(int64, float64)" in listing and "cached_kernel.py" in listing
    assert "removed 0 entries" in cli(cache, "prune")
    assert "removed 1 entries" in cli(cache, "prune", "--size", "10")
    run(tmp_path, cache)
    assert "removed 1 entries" in cli(cache, "clear")
    assert entries(cache) == []


MANY = """
import linecache, sys
from stickyjit import jit
for k in range(int(sys.argv[1]), int(sys.argv[2])):
    src = f"def f{{k}}(x):\\n    return x * {{k}} + {{k % 7}}\\n"
    fn = f"<many-{{k}}>"
    linecache.cache[fn] = (len(src), None, src.splitlines(True), fn)
    ns = {{}}
    exec(compile(src, fn, "exec"), ns)
    assert jit(ns[f"f{{k}}"])(3) == 3 * k + k % 7
print("done")
"""


def test_the_size_cap_is_applied_after_writes(tmp_path):
    cache = tmp_path / "cache"
    script = tmp_path / "many.py"
    script.write_text(MANY.format())
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache), STICKYJIT_CACHE_SIZE="8K")
    proc = subprocess.run(
        [sys.executable, str(script), "0", "70"], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    # The process pruned after its 1st and 65th writes (on a background thread): of 70 entries
    # at most the cap plus the five written after the last prune remain.
    sizes = [p.stat().st_size for p in entries(cache)]
    assert 0 < len(sizes) < 70
    assert sum(sizes) <= 8 * 1024 + 5 * max(sizes), (len(sizes), sum(sizes))
    cli(cache, "prune", env_extra={"STICKYJIT_CACHE_SIZE": "8K"})
    total = sum(p.stat().st_size for p in entries(cache))
    assert 0 < total <= 8 * 1024, total


def test_a_writer_killed_mid_write_leaves_nothing_that_is_read_as_valid(tmp_path):
    import signal
    import time

    cache = tmp_path / "cache"
    script = tmp_path / "many.py"
    script.write_text(MANY.format())
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
    for attempt in range(3):
        proc = subprocess.Popen(
            [sys.executable, str(script), "0", "400"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        time.sleep(0.4 + 0.2 * attempt)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert entries(cache), "the writer was killed before writing anything: nothing tested"
    # Every entry that exists is whole: a later process uses them without a single warning.
    check = tmp_path / "check.py"
    check.write_text(
        "import warnings, stickyjit\nwarnings.simplefilter('always')\ncaught = []\n"
        "warnings.showwarning = lambda m, c, *a, **k: caught.append(str(m))\n"
        + MANY.format()
        + "print(len(caught), stickyjit.stats()['cache_hits'])\n"
    )
    proc = subprocess.run(
        [sys.executable, str(check), "0", "400"], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    done, counts = proc.stdout.strip().splitlines()
    warnings_seen, hits = map(int, counts.split())
    assert done == "done" and warnings_seen == 0 and hits > 0, proc.stdout


EXPLAIN = """
import math, sys
from stickyjit import jit
G = {g}

@jit{options}
def kernel(n, x):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i * x + 1.0) - i % {k} + G
    return s

kernel({args})
print(kernel.explain())
"""


def explain(tmp_path, cache, g=1, options="", k=7, args="10, 0.5", env_extra=None):
    script = tmp_path / "explained.py"
    script.write_text(EXPLAIN.format(g=g, options=options, k=k, args=args))
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache), **(env_extra or {}))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1], proc.stderr


def test_explain_says_which_part_of_the_key_differed(tmp_path):
    cache = tmp_path / "cache"
    first, _ = explain(tmp_path, cache)
    assert "no earlier entry" in first
    assert "loaded from the cache" in explain(tmp_path, cache)[0]
    assert "arguments (int64, float64 → int64, int64)" in explain(tmp_path, cache, args="10, 2")[0]
    assert "globals" in explain(tmp_path, cache, g=2)[0]
    assert "options" in explain(tmp_path, cache, options="(opt_level=2)")[0]
    changed = explain(tmp_path, cache, k=5)[0]
    assert "source" in changed and "arguments" not in changed
    assert "cache=False" in explain(tmp_path, cache, options="(cache=False)")[0]
    _, stderr = explain(tmp_path, cache, k=3, env_extra={"STICKYJIT_EXPLAIN": "1"})
    assert "stickyjit: kernel(int64, float64) was compiled" in stderr and "source" in stderr


NARROW = """
import json, sys, warnings
import numpy as np
import stickyjit
from stickyjit import jit

@jit
def twice(z):
    return z * 2

arg = {"f64": 1.5, "f32": np.float32(1.5), "c128": 1.5j, "c64": np.complex64(1.5j), "i64": 3, "i8": np.int8(3)}[sys.argv[1]]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    value = twice(arg)
s = stickyjit.stats()
print(json.dumps({"value": repr(value), "warnings": [str(w.message) for w in caught],
                  "compiles": s["compiles"], "hits": s["cache_hits"]}))
"""


@pytest.mark.parametrize(("wide", "narrow"), [("c128", "c64"), ("i64", "i8")])
def test_a_narrow_numpy_scalar_loads_the_entry_of_the_type_it_widens_to(tmp_path, wide, narrow):
    # float32, complex64 and int8 scalars are widened on entry: their code is the float64's
    # (one code key). A later process calling with either loads the entry, with no warning
    # (it used to warn "its signature differs" and compile again, each type in turn).
    script = tmp_path / "narrow.py"
    script.write_text(NARROW)
    env = {**os.environ, "STICKYJIT_CACHE_DIR": str(tmp_path / "cache")}

    def run_with(which):
        out = subprocess.run([sys.executable, str(script), which], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    first = run_with(wide)
    assert first["compiles"] == 1 and first["warnings"] == []
    for which in (narrow, wide, narrow):
        later = run_with(which)
        assert later["warnings"] == [], later
        assert later["compiles"] == 0 and later["hits"] == 1, later
