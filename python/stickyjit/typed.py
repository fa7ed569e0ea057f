"""``List`` and ``Dict``: Numba's typed containers (``numba.typed``), as stickyjit takes them.

    from stickyjit.typed import List, Dict

In compiled code ``List()``, ``List(iterable)`` and ``List.empty_list(item_type)`` make a new
list, ``Dict()`` and ``Dict.empty(key_type, value_type)`` a new dict: stickyjit's lists and dicts
are typed already (their types come from what is put in; the type arguments are not read). In
Python they are a ``list`` and a ``dict``; a ``List`` passes to a jitted function as a list does
(copied in, changes copied back). A list or dict a jitted function returns is a plain one.
"""

from __future__ import annotations

__all__ = ["List", "Dict"]


class List(list):
    """Numba's ``numba.typed.List``: a ``list`` (docs/language.md, Lists)."""

    __stickyjit_builtin__ = "typed.List"

    @classmethod
    def empty_list(cls, item_type=None, allocated=0):
        """A new empty list (``item_type`` is Numba's; the list takes what is appended)."""
        return cls()


class Dict(dict):
    """Numba's ``numba.typed.Dict``: a ``dict`` (docs/language.md, Dicts and sets)."""

    __stickyjit_builtin__ = "typed.Dict"

    @classmethod
    def empty(cls, key_type=None, value_type=None, n_keys=0):
        """A new empty dict (the types are Numba's; the dict takes what is stored)."""
        return cls()
