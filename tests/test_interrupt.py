"""Ctrl-C: SIGINT stops a long-running compiled loop with KeyboardInterrupt, promptly (issue 14:
a while loop ran on for 10 s after SIGINT). A handler a program installs with signal.signal runs
as CPython would run it, and compiled code goes on when it does not raise. Child processes, a
real SIGINT from the parent, under timeouts.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

CHILD = '''
import signal, sys, time
import numpy as np
from stickyjit import jit

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
    "callee": (calls_helper, (np.ones(1000),), None),
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
'''


def interrupt(tmp_path, which: str, *extra: str, signals: int = 1) -> tuple[str, float]:
    script = tmp_path / "interrupt_child.py"
    script.write_text(textwrap.dedent(CHILD))
    proc = subprocess.Popen([sys.executable, str(script), which, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(0.3)  # inside the compiled loop by now
        sent = time.perf_counter()
        for _ in range(signals):
            os.kill(proc.pid, signal.SIGINT)
            time.sleep(0.05)
        line = proc.stdout.readline().strip()
        took = time.perf_counter() - sent
        return line, took
    finally:
        proc.kill()
        proc.wait(timeout=30)


@pytest.mark.parametrize("which", ["while", "for", "nest", "callee"])
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
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGINT)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)  # still running: neither killed nor interrupted
    finally:
        proc.kill()
        proc.wait(timeout=30)
