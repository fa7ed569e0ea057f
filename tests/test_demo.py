"""`make demo` (examples/demo.py) keeps working: it runs in a child process, in its quick mode,
exits 0, and shows its three sections, each with the claim it checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_the_demo_runs_and_shows_its_three_sections():
    env = dict(os.environ, STICKYJIT_DEMO_QUICK="1")
    out = subprocess.run([sys.executable, str(DEMO)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    for heading in (
        "1. A notebook cell re-run keeps its compiled code",
        "2. A second process loads from the on-disk cache",
        "3. An array kernel",
    ):
        assert heading in text, text
    assert "the same function object: True" in text, text
    assert "process 2: 0 compiles" in text, text
    assert "FAILED" not in text + out.stderr
    assert "every claim held and every answer matches CPython's" in text, text
