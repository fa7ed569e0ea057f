"""A NaN parameter that passes NumPy's checks draws what NumPy draws (NaN) and never hangs.

NumPy's standard gamma leaves its normal-draw loop on a NaN (`do ... while (V <= 0.0)`); a
port waiting for `V > 0.0` looped forever on `np.random.standard_gamma(nan)` and everything
built on it (gamma, beta, chisquare, standard_t, f; and the Generator's). Run in a child
process with a timeout, so that a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import math
    import numpy as np
    from stickyjit import jit

    @jit
    def legacy(a, b):
        np.random.seed(1)
        return (np.random.standard_gamma(a), np.random.gamma(a, 1.0), np.random.beta(0.5, a),
                np.random.beta(a, 2.0), np.random.chisquare(a), np.random.standard_t(a), np.random.f(a, b))

    @jit
    def generator(a):
        rng = np.random.default_rng(3)
        return rng.standard_gamma(a), rng.gamma(a, 2.0), rng.beta(0.5, a), rng.beta(a, 3.0)

    def numpy_legacy(a, b):
        np.random.seed(1)
        return (np.random.standard_gamma(a), np.random.gamma(a, 1.0), np.random.beta(0.5, a),
                np.random.beta(a, 2.0), np.random.chisquare(a), np.random.standard_t(a), np.random.f(a, b))

    def numpy_generator(a):
        rng = np.random.default_rng(3)
        return rng.standard_gamma(a), rng.gamma(a, 2.0), rng.beta(0.5, a), rng.beta(a, 3.0)

    def same(x, y):
        return all((math.isnan(p) and math.isnan(q)) or p == q for p, q in zip(x, y))

    for a in (float("nan"), 2.5, 0.7):
        assert same(legacy(a, 2.0), numpy_legacy(a, 2.0)), (a, legacy(a, 2.0), numpy_legacy(a, 2.0))
        assert same(generator(a), numpy_generator(a)), (a, generator(a), numpy_generator(a))
    print("ok")
    """
)


def test_nan_parameters_of_the_gamma_family_draw_numpys_nan(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"STICKYJIT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
