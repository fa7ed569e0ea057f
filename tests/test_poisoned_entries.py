"""A cache entry holding another function's valid object under this key (a file renamed or
copied into place) is refused before it reaches the JIT, and leaves nothing behind: the other
function still loads its own entry afterwards (issue 14: it used to fail with "Duplicate
definition of symbol" and lose its valid entry). Real processes, as in test_cache.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys, warnings
warnings.simplefilter("always")
caught = []
warnings.showwarning = lambda message, category, *a, **k: caught.append((category.__name__, str(message)))
import stickyjit
from stickyjit import jit

@jit
def good(x):
    return x * 2 + 1

@jit
def other(x):
    return x * 1000 - 7

order = sys.argv[1].split(",")
got = {name: globals()[name](5) for name in order}
print(json.dumps({"got": got, "want": {"good": 11, "other": 4993}, "stats": stickyjit.stats(),
                  "warnings": caught, "keys": {n: globals()[n].explain() for n in order}}))
"""


def run(tmp_path: Path, cache: Path, order: str) -> dict:
    script = tmp_path / "poison.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
    env.pop("STICKYJIT_CACHE", None)
    proc = subprocess.run([sys.executable, str(script), order], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def entry_of(cache: Path, explain: str) -> Path:
    key = explain.split("(entry ")[1].rstrip(")") if "(entry " in explain else None
    assert key, explain
    return next(cache.rglob(f"{key}.sjo"))


def test_another_functions_entry_under_this_key_is_refused_and_poisons_nothing(tmp_path):
    cache = tmp_path / "cache"
    first = run(tmp_path, cache, "good,other")
    assert first["got"] == first["want"] and first["stats"]["cache_writes"] == 2
    # Find both entries through a second, loading run.
    second = run(tmp_path, cache, "good,other")
    assert second["stats"]["cache_hits"] == 2 and second["warnings"] == []
    good_entry = entry_of(cache, second["keys"]["good"])
    other_entry = entry_of(cache, second["keys"]["other"])
    saved_other = other_entry.read_bytes()
    # The attack (or an accident): other's valid entry copied over good's.
    shutil.copyfile(other_entry, good_entry)
    third = run(tmp_path, cache, "good,other")
    assert third["got"] == third["want"]
    # One warning, about good's entry: refused by the integrity key (which covers the code key)
    # or, failing that, by the loader's check of the entry's symbol, signature and key parts.
    assert len(third["warnings"]) == 1, third["warnings"]
    message = third["warnings"][0][1]
    assert good_entry.stem in message and ("good(int64)" in message or "refused" in message), message
    # other's own entry was loaded (a hit), untouched, and nothing was compiled for it.
    assert third["stats"]["compiles"] == 1
    assert other_entry.read_bytes() == saved_other
    # good's entry was replaced by its own: the next process loads both without a word.
    fourth = run(tmp_path, cache, "other,good")
    assert fourth["got"] == fourth["want"]
    assert fourth["warnings"] == [] and fourth["stats"]["compiles"] == 0 and fourth["stats"]["cache_hits"] == 2
