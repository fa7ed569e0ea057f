"""Ctrl-C: SIGINT stops a long-running compiled loop with KeyboardInterrupt, promptly (issue 14:
a while loop ran on for 10 s after SIGINT). A handler a program installs with signal.signal runs
as CPython would run it, and compiled code goes on when it does not raise. Child processes, a
real SIGINT from the parent, under timeouts.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

CHILD = """
import signal, sys, time
# As at an interactive prompt: a process started in the background by a non-interactive shell
# (CI) inherits SIGINT ignored, and Python then installs no handler.
signal.signal(signal.SIGINT, signal.default_int_handler)
import numpy as np
from stickyjit import jit, prange

@jit
def spin_while(n):
    x = 0
    while n > 0:
        x = (x * 31 + 7) % 1000003
    return x

@jit
def long_for(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s

@jit
def long_nest(n):
    s = 0
    for i in range(n):
        for j in range(100):
            s += (i ^ j) & 3
    return s

@jit
def popcounts(n):
    # A loop around a while loop, no early exit: runs in chunks of 4096.
    total = 0
    for k in range(n):
        x = k
        while x:
            x &= x - 1
            total += 1
    return total

@jit
def nest_with_break(n):
    # A loop around a while loop that may break out: polls on each iteration.
    s = 0
    for i in range(n):
        j = 0
        while j < 1000:
            s += (i ^ j) & 3
            j += 1
        if s < 0:
            break
    return s

@jit
def short_outer(n):
    # A loop of three known iterations does not poll; the long loops inside it do.
    s = 0
    for d in (-1, 0, 1):
        for i in range(n):
            s += (i ^ d) & 3
    return s

@jit
def short_outer_while(n):
    s = 0
    for d in range(3):
        while n > 0:
            s = (s * 31 + d) % 1000003
    return s

@jit(nogil=True)
def spin_while_nogil(n):
    # Runs with the GIL released: the poll takes it back to run Python's handler.
    x = 0
    while n > 0:
        x = (x * 31 + 7) % 1000003
    return x

@jit(parallel=True)
def long_prange(n):
    # Chunks far too long to wait for: the workers stop inside them.
    s = 0
    for i in prange(n):
        for j in range(100):
            s += (i ^ j) & 3
    return s

@jit
def helper_loop(a):
    s = 0.0
    while True:
        for x in a:
            s += x
    return s

@jit
def calls_helper(a):
    return helper_loop(a) + 1.0

which = sys.argv[1]
calls = {
    "while": (spin_while, (1,), (0,)),
    "for": (long_for, (10**15,), (10,)),
    "nest": (long_nest, (10**14,), (10,)),
    "popcounts": (popcounts, (10**15,), (10,)),
    "nest_with_break": (nest_with_break, (10**14,), (10,)),
    "callee": (calls_helper, (np.ones(1000),), None),
    "short_outer": (short_outer, (10**15,), (10,)),
    "short_outer_while": (short_outer_while, (1,), (0,)),
    "while_nogil": (spin_while_nogil, (1,), (0,)),
    "prange": (long_prange, (10**14,), (10,)),
}
f, args, warm = calls[which]
if warm is not None:
    f(*warm)
else:
    helper_loop.py_func  # compiled at the first (interrupted) call
if len(sys.argv) > 2:  # a handler that counts and does not raise: the loop goes on
    seen = []
    signal.signal(signal.SIGINT, lambda *a: seen.append(1))
print("ready", flush=True)
try:
    r = f(*args)
    print("finished", r, flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
"""


class Lines:
    """A pipe's lines, read on a thread: every wait has a timeout (a child that ignores the signal
    fails the test instead of hanging it)."""

    def __init__(self, pipe):
        self.q: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.q.put(line) for line in pipe] + [self.q.put("")], daemon=True).start()

    def next(self, timeout: float = 60) -> str:
        try:
            return self.q.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no line from the child in {timeout} s")


def interrupt(tmp_path, which: str, *extra: str, signals: int = 1) -> tuple[str, float]:
    script = tmp_path / "interrupt_child.py"
    script.write_text(textwrap.dedent(CHILD))
    proc = subprocess.Popen(
        [sys.executable, str(script), which, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out = Lines(proc.stdout)
    try:
        assert out.next().strip() == "ready"
        time.sleep(0.3)  # inside the compiled loop by now
        sent = time.perf_counter()
        for _ in range(signals):
            os.kill(proc.pid, signal.SIGINT)
            time.sleep(0.05)
        line = out.next(timeout=20).strip()
        took = time.perf_counter() - sent
        return line, took
    finally:
        proc.kill()
        proc.wait(timeout=30)


@pytest.mark.parametrize(
    "which",
    [
        "while",
        "for",
        "nest",
        "popcounts",
        "nest_with_break",
        "callee",
        "short_outer",
        "short_outer_while",
        "while_nogil",
        "prange",
    ],
)
def test_sigint_stops_a_long_compiled_loop(tmp_path, which):
    line, took = interrupt(tmp_path, which)
    assert line == "KeyboardInterrupt"
    # The issue asks for 100 ms; the bound here leaves room for a loaded test machine.
    assert took < 2.0, f"KeyboardInterrupt came {took:.3f} s after SIGINT"


def test_a_handler_that_does_not_raise_lets_the_loop_go_on(tmp_path):
    # CPython runs the program's handler and the loop continues: the same here (the child is
    # killed by the parent afterwards, since the loop never ends).
    script = tmp_path / "interrupt_child.py"
    script.write_text(textwrap.dedent(CHILD))
    proc = subprocess.Popen([sys.executable, str(script), "while", "own-handler"], stdout=subprocess.PIPE, text=True)
    out = Lines(proc.stdout)
    try:
        assert out.next().strip() == "ready"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGINT)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)  # still running: neither killed nor interrupted
    finally:
        proc.kill()
        proc.wait(timeout=30)


SLOW_COMPILE = """
import linecache, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
from stickyjit import jit
lines = ["def big(x, n):", "    s = 0.0", "    for i in range(n):"]
for k in range(1500):  # about 10 s of LLVM on this machine
    lines.append(f"        if x > {k}.5:\\n            s += x * {k + 1}.25 - i\\n        else:\\n            s -= x / {k + 2}.5 + i")
lines.append("    return s")
src = "\\n".join(lines) + "\\n"
linecache.cache["<big>"] = (len(src), None, src.splitlines(True), "<big>")
ns = {}
exec(compile(src, "<big>", "exec"), ns)
big = jit(cache=False)(ns["big"])
print("ready", flush=True)
try:
    big(1.5, 3)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
@jit(cache=False)
def small(x):
    return x + 1
print("after", small(41), flush=True)  # the process compiles and runs on afterwards
"""


def test_a_long_compile_says_what_it_compiles_and_ctrl_c_interrupts_it(tmp_path):
    script = tmp_path / "slow_compile.py"
    script.write_text(SLOW_COMPILE)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        assert out.next().strip() == "ready"
        # After ~2 s, one line on stderr says what is compiling.
        said = err.next()
        assert said.startswith("stickyjit: compiling big(float64, int64) has taken"), said
        assert "Ctrl-C interrupts" in said
        sent = time.perf_counter()
        os.kill(proc.pid, signal.SIGINT)
        line = out.next(timeout=20).strip()
        took = time.perf_counter() - sent
        assert line == "KeyboardInterrupt"
        assert took < 2.0, f"KeyboardInterrupt came {took:.3f} s after SIGINT"
        assert out.next().strip() == "after 42"
        assert proc.wait(timeout=60) == 0
        # Said once; then exit waits for the abandoned compile (LLVM's static destructors run at
        # exit) and says so.
        assert err.next(timeout=10).startswith("stickyjit: waiting for an interrupted compile to finish before exit")
        assert err.next(timeout=10) == ""
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_exit_right_after_an_interrupted_compile_waits_for_it(tmp_path):
    # The compile goes on after Ctrl-C; exiting at once must not run LLVM's static destructors
    # under it (that crashed the process at exit, now and then, with SIGSEGV).
    script = tmp_path / "exit_now.py"
    script.write_text(SLOW_COMPILE.replace("@jit(cache=False)\ndef small", "raise SystemExit(3)\ndef small"))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        assert out.next().strip() == "ready"
        assert err.next().startswith("stickyjit: compiling big(float64, int64)")
        os.kill(proc.pid, signal.SIGINT)
        assert out.next(timeout=20).strip() == "KeyboardInterrupt"
        assert err.next(timeout=20).startswith("stickyjit: waiting for an interrupted compile to finish before exit")
        assert proc.wait(timeout=60) == 3  # the script's own exit status, after the compile ended
        assert err.next(timeout=10) == ""
    finally:
        proc.kill()
        proc.wait(timeout=30)
