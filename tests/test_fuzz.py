"""Differential fuzzing: random programs of the documented subset (``fuzzgen.py``), each run
compiled and in CPython, must give the same result or raise the same exception (class and
message).

``make test`` runs ``STICKYJIT_FUZZ_COUNT`` programs (default 300) from seed
``STICKYJIT_FUZZ_SEED`` (default 14); ``make fuzz`` runs many more.
"""

from __future__ import annotations

import os

import fuzzgen


def test_random_programs_agree_with_cpython():
    count = int(os.environ.get("STICKYJIT_FUZZ_COUNT", "300"))
    seed = int(os.environ.get("STICKYJIT_FUZZ_SEED", "14"))
    stats = fuzzgen.main(count, seed, verbose=False)
    report = "\n".join(f"--- program {i}: {why}\n{src}args = {args!r}" for i, src, args, why in stats["mismatches"][:5])
    assert not stats["mismatches"], f"{len(stats['mismatches'])} of {count} programs differ:\n{report}"
    # The generator stays inside the promised subset for most programs.
    assert stats["agree"] >= count * 0.8, stats
