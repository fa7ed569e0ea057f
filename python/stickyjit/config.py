"""Numba's ``numba.config`` values that Numba code reads (stumpy's
``numba.config.NUMBA_NUM_THREADS`` inside a jitted function, frozen there as a global is).

``NUMBA_NUM_THREADS``: the most threads ``prange`` loops may use (``STICKYJIT_NUM_THREADS``,
else the CPUs this process may use), as Numba's is its pool's size. ``DISABLE_JIT``: False
(stickyjit always compiles). Assigning them changes nothing in stickyjit.
"""

from __future__ import annotations

from . import _native

__all__ = ["NUMBA_NUM_THREADS", "DISABLE_JIT"]

NUMBA_NUM_THREADS: int = _native._max_threads()
DISABLE_JIT: bool = False
