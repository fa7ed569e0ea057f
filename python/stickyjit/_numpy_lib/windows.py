"""NumPy's window functions (`np.hanning`, `np.hamming`, `np.bartlett`, `np.blackman`; librosa's
beat tracker smooths with `np.hanning`), written as NumPy writes them: the same operations in
the same order, on `n = arange(1 - M, M, 2)` of a float `M`."""

from __future__ import annotations

import numpy as np

from .. import jit


@jit
def _points(M):
    """NumPy's `n` of a window of `M` points (M >= 2), as float64."""
    m = M * 1.0
    return np.arange(1.0 - m, m, 2.0), m


@jit
def hanning(M):
    """an int (or float) M: the Hann window of M points, float64 (empty for M < 1)."""
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n, m = _points(M)
    return 0.5 + 0.5 * np.cos(np.pi * n / (m - 1))


@jit
def hamming(M):
    """an int (or float) M: the Hamming window of M points, float64 (empty for M < 1)."""
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n, m = _points(M)
    return 0.54 + 0.46 * np.cos(np.pi * n / (m - 1))


@jit
def blackman(M):
    """an int (or float) M: the Blackman window of M points, float64 (empty for M < 1)."""
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n, m = _points(M)
    return 0.42 + 0.5 * np.cos(np.pi * n / (m - 1)) + 0.08 * np.cos(2.0 * np.pi * n / (m - 1))


@jit
def bartlett(M):
    """an int (or float) M: the Bartlett (triangular) window of M points, float64 (empty for
    M < 1)."""
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n, m = _points(M)
    return np.where(n <= 0, 1 + n / (m - 1), 1 - n / (m - 1))
