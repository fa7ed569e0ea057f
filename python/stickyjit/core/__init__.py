"""``numba.core``'s names that code written for Numba imports (``from numba.core import types``,
``from numba.core.errors import NumbaWarning``): stickyjit's own, under Numba's module path."""

from __future__ import annotations

from .. import config, types
from . import errors

__all__ = ["config", "errors", "types"]
