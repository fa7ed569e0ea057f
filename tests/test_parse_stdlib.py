"""The parse stage accepts every ``def`` CPython compiles: a sweep over the standard library.

For each ``.py`` file of the running interpreter's standard library that CPython compiles,
every function definition (its first line as ``co_firstlineno`` gives it: the first decorator)
is handed to stickyjit's parse stage, the file's lines from there on, exactly as the dispatcher
does. A construct stickyjit does not compile may be reported as an unsupported construct; a
``syntax error`` (or a ``function source`` error: the ``def`` not found) is a bug.

``make test`` sweeps a deterministic sample of files (``STICKYJIT_STDLIB_FILES``, default 150,
plus files that hold tabs or form feeds in their indentation); ``make fuzz`` sweeps them all
(``STICKYJIT_STDLIB_FILES=all``).
"""

from __future__ import annotations

import ast
import linecache
import os
import random
import sysconfig
import warnings
from pathlib import Path

from stickyjit import _native

BAD = ("syntax error", "function source")


def _stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)
    want = os.environ.get("STICKYJIT_STDLIB_FILES", "150")
    if want == "all":
        return files
    rng = random.Random(20240614)
    sample = set(rng.sample(files, min(int(want), len(files))))
    # Always the files whose indentation holds tabs or form feeds (the parser's hard cases).
    for p in files:
        try:
            text = p.read_bytes()
        except OSError:
            continue
        if b"\n\t" in text or b" \t" in text or b"\x0c" in text:
            sample.add(p)
    return sorted(sample)


def _defs(text: str, filename: str) -> list[int] | None:
    """The first line of every function CPython compiles in ``text``, or None if it does not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, filename, "exec", dont_inherit=True)
            tree = ast.parse(text, filename)
        except (SyntaxError, ValueError):
            return None
    return sorted(
        {
            min([n.lineno] + [d.lineno for d in n.decorator_list])
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
    )


def test_every_stdlib_function_parses():
    failures = []
    n_files = n_defs = 0
    for path in _stdlib_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a file in another encoding: linecache would decode it differently
        defs = _defs(text, str(path))
        if defs is None:
            continue
        n_files += 1
        lines = linecache.getlines(str(path))  # what the dispatcher reads
        for first in defs:
            n_defs += 1
            err = _native._parse_function(lines[first - 1 :], first, str(path))
            if err is not None and err[0] in BAD:
                failures.append(f"{path}:{first}: {err[3].splitlines()[0]}")
    assert n_defs > 500, (n_files, n_defs)
    assert not failures, f"{len(failures)} of {n_defs} functions in {n_files} files:\n" + "\n".join(failures[:40])
