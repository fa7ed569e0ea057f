"""The REPLs people work in, driven through a pseudo-terminal as a person types: the plain
``python`` prompt (readline), CPython 3.13's new prompt (pyrepl, the default ``python`` prompt
there; ``PYTHON_BASIC_REPL=1`` gives the plain one back), ptpython and IPython. In each: define a
jitted function, call it, re-run the same block (pyrepl, ptpython and IPython: up-arrow, enter;
the plain prompt: the block typed again), change it, and start a new session of the same REPL on
the same cache directory; answers are compared with CPython's and compiles counted with
``stickyjit.stats()``.

ptpython and the plain prompt compile every input as ``<stdin>`` and register no source; the
function's source is found in the REPL's history and accepted only if compiling it reproduces
the function's code object (``stickyjit._support.recover_source``). pyrepl registers each input
in ``linecache`` as ``<python-input-N>``, where the source is read (and checked the same way).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")  # a test dependency (Makefile); never skipped in CI

from stickyjit import CompileError, jit

BIN = Path(sys.executable).parent
# CPython 3.13's `python` prompt is pyrepl (it indents by itself and recalls whole blocks);
# "python basic" is the plain prompt it keeps behind PYTHON_BASIC_REPL=1.
PYREPL = sys.version_info >= (3, 13)
PLAIN = "python basic" if PYREPL else "python"
KINDS = ["python", "python -i", "ptpython", "ipython"] + (["python basic"] if PYREPL else [])
WORK = "@jit\ndef work(n):\n    s = 0.0\n    for i in range(n):\n        s += (i % 13) * {scale}\n    return s\n"
UP = "\x1b[A"


def expected(scale: float) -> float:
    s = 0.0
    for i in range(10_000):
        s += (i % 13) * scale
    return s


class Repl:
    """One session of a REPL in a pseudo-terminal."""

    def __init__(self, kind: str, home: Path, cache: Path):
        self.kind = kind
        env = dict(
            os.environ,
            STICKYJIT_CACHE_DIR=str(cache),
            HOME=str(home),
            TERM="xterm",
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
            IPYTHONDIR=str(home / "ipython"),
            PYTHONSTARTUP="",
            PYTHON_COLORS="0",
        )
        env.pop("STICKYJIT_CACHE", None)
        env.pop("PYTHON_BASIC_REPL", None)
        if kind == "python basic":
            env["PYTHON_BASIC_REPL"] = "1"
        # Typed line by line with the indentation written out: the plain prompt (readline).
        self.readline = kind == "python basic" or (kind.startswith("python") and not PYREPL)
        # pyrepl turns on the terminal's application cursor keys: up-arrow arrives as ESC O A.
        self.up = "\x1bOA" if kind.startswith("python") and not self.readline else UP
        argv = {
            "python": [str(BIN / "python"), "-q"],
            "python basic": [str(BIN / "python"), "-q"],
            # A script's command first, then its prompt (the way `python -i script.py` is used).
            "python -i": [str(BIN / "python"), "-q", "-i", "-c", "import math"],
            "ptpython": [str(BIN / "ptpython")],
            "ipython": [str(BIN / "ipython"), "--no-banner", "--colors=NoColor", "--no-confirm-exit"],
        }[kind]
        self.p = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(50, 200))
        self.prompt()
        self.run("from stickyjit import jit; import stickyjit")
        self.n = 0

    def prompt(self):
        self.p.expect(r"In \[\d+\]|>>>")

    def type_line(self, line: str):
        """Types one line and enter."""
        if self.readline:
            self.p.sendline(line)
        else:
            self.p.send(line)
            time.sleep(0.2)
            self.p.send("\r")

    def run(self, line: str):
        """Types one line and runs it."""
        self.type_line(line)
        self.prompt()

    def define(self, block: str):
        """Types a block as a person would: line by line at the plain prompt (which does not
        indent), as a paste in pyrepl and the prompt_toolkit REPLs (which indent by themselves)."""
        if self.readline:
            for line in block.splitlines():
                self.p.sendline(line)
            self.p.sendline("")
        else:
            self.p.send("\x1b[200~" + block + "\x1b[201~")
            time.sleep(0.3)
            self.p.send("\r")
            time.sleep(0.3)
            self.p.send("\r")
        self.prompt()

    def rerun_previous(self, back: int, block: str):
        """Re-runs an earlier input: up-arrow `back` times and enter (pyrepl and prompt_toolkit
        REPLs recall a whole block); the plain prompt's readline recalls single lines, so there it
        is typed again."""
        if self.readline:
            return self.define(block)
        for _ in range(back):
            self.p.send(self.up)
            time.sleep(0.2)
        self.p.send("\r")
        time.sleep(0.3)
        self.p.send("\r")
        self.prompt()

    def query(self, expr: str) -> list[str]:
        """Evaluates `expr` (a tuple) in the REPL and returns its printed fields."""
        self.n += 1
        tag = f"Q{self.n}Q"
        self.type_line(f"print('{tag}', *({expr}))")
        self.p.expect(tag + r" ([^\r\n]*)\r?\n")
        fields = self.p.match.group(1).split()
        self.prompt()
        return fields

    def close(self):
        self.p.sendcontrol("d")
        if self.kind == "ptpython":  # "Do you really want to exit ([y]/n)?"
            time.sleep(0.3)
            self.p.send("y")
        self.p.expect(pexpect.EOF, timeout=30)


STATS = "work(10_000), stickyjit.stats()['compiles'], stickyjit.stats()['cache_hits']"


@pytest.mark.parametrize("kind", KINDS)
def test_define_call_rerun_change_and_a_new_session(kind, tmp_path):
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    repl = Repl(kind, home, cache)
    try:
        repl.define(WORK.format(scale=0.5))
        result, compiles, hits = repl.query(STATS)
        assert (float(result), int(compiles), int(hits)) == (expected(0.5), 1, 0)
        repl.run("first = work")
        repl.run("del work")  # so that only the block run again can define it

        # The same block again: the same object, nothing compiled.
        repl.rerun_previous(4, WORK.format(scale=0.5))  # back over `del`, `first = work`, the query
        same, result, compiles = repl.query("work is first, work(10_000), stickyjit.stats()['compiles']")
        assert (same, float(result), int(compiles)) == ("True", expected(0.5), 1)

        # A real change compiles the new code.
        repl.define(WORK.format(scale=0.25))
        same, result, compiles = repl.query("work is first, work(10_000), stickyjit.stats()['compiles']")
        assert (same, float(result), int(compiles)) == ("False", expected(0.25), 2)
    finally:
        repl.close()

    # A new session of the same REPL loads both from the disk cache.
    repl = Repl(kind, home, cache)
    try:
        repl.define(WORK.format(scale=0.25))
        result, compiles, hits = repl.query(STATS)
        assert (float(result), int(compiles), int(hits)) == (expected(0.25), 0, 1)
        repl.define(WORK.format(scale=0.5))
        result, compiles, hits = repl.query(STATS)
        assert (float(result), int(compiles), int(hits)) == (expected(0.5), 0, 2)
    finally:
        repl.close()


def test_an_edited_history_entry_is_never_used(tmp_path):
    # The plain prompt: the block typed, then the same lines typed again with a change but never
    # run to completion as that function (a syntax error in the middle). Recovery must pick the
    # text that reproduces the function's code, not the newest lookalike.
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    repl = Repl(PLAIN, home, cache)
    try:
        repl.define(WORK.format(scale=0.5))
        repl.define(WORK.format(scale=0.75).replace("return s", "return s +"))  # SyntaxError
        result, compiles, _ = repl.query(STATS)
        assert (float(result), int(compiles)) == (expected(0.5), 1)
    finally:
        repl.close()


def test_an_exec_string_without_source_says_how_to_register_it():
    ns: dict = {"jit": jit}
    exec("@jit\ndef no_source(x):\n    return x + 1\n", ns)  # filename '<string>', not in linecache
    with pytest.raises(CompileError) as info:
        ns["no_source"](1)
    msg = str(info.value)
    assert info.value.construct == "function without source"
    assert "<string>" in msg and "linecache.cache[filename]" in msg and "ptpython" in msg


def test_a_registered_text_that_does_not_match_the_code_is_not_used():
    import linecache

    src = "@jit\ndef mismatched(x):\n    return x + 1\n"
    linecache.cache["<mismatch>"] = (len(src), None, src.replace("x + 1", "x + 2").splitlines(True), "<mismatch>")
    ns: dict = {"jit": jit}
    exec(compile(src, "<mismatch>", "exec"), ns)
    with pytest.raises(CompileError, match="function without source"):
        ns["mismatched"](1)
