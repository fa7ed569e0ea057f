"""``jitclass`` (Numba's ``numba.experimental.jitclass``), as stickyjit compiles it.

    from stickyjit import float64
    from stickyjit.experimental import jitclass

    @jitclass([("alpha", float64), ("grid", float64[:])])
    class Model:
        def __init__(self, alpha=0.4, n=100):
            self.alpha = alpha
            self.grid = np.linspace(1e-5, 4.0, n)

        def f(self, k):
            return k**self.alpha

    m = Model()          # made in Python: __init__ runs as Python code
    solve(m)             # a jitted function reads m.alpha, m.grid and calls m.f(k), compiled

An instance passed to a jitted function is read as a record of its fields (the spec's names, in
order, each converted to the spec's type: an int in a float64 field is a float there, as Numba
stores it) and its methods are compiled, ``self`` being that record: ``m.f(k)`` and
``f = m.f; f(k)`` are direct calls. What differs from Numba (docs/language.md, "jitclass"):
``__init__`` and methods called from Python run as Python code; compiled code reads an
instance's fields but does not assign them, make an instance, or return one.
"""

from __future__ import annotations

import types as _pytypes

from . import types as _sjtypes

__all__ = ["jitclass"]

# Every jitclass method's name (the compiler lowers `x.update(v)` with such a name both as the
# list, dict, ... method and as the jitclass's, and picks by `x`'s type).
_METHOD_NAMES: set[str] = set()


def jitclass(cls_or_spec=None, spec=None):
    """``@jitclass(spec)``, ``@jitclass`` (the spec from the class's annotations) or ``jitclass(cls, spec)``.

    ``spec`` is a list of ``(name, type)`` pairs or a dict of them; a type is a stickyjit (or Numba-style)
    type object such as ``float64`` or ``float64[:]``. The class itself is returned, marked so that jitted
    functions take its instances.
    """
    if isinstance(cls_or_spec, type):
        return _register(cls_or_spec, spec)
    if spec is not None and cls_or_spec is not None:
        raise TypeError("jitclass(spec) takes the spec once: jitclass(cls, spec) or @jitclass(spec)")
    given = cls_or_spec if cls_or_spec is not None else spec
    return lambda cls: _register(cls, given)


class _JitclassInfo:
    """What the native side reads of a jitclass (``__stickyjit_jitclass__``): the fields' names, the
    methods' dispatchers, and the fields' values of an instance (``values``)."""

    __slots__ = ("fields", "methods", "_convert")

    def __init__(self, fields, convert, methods):
        self.fields = fields
        self._convert = convert
        self.methods = methods

    def values(self, obj):
        """The instance's fields, each converted to its spec type (a tuple, in spec order)."""
        try:
            return tuple(c(getattr(obj, name)) for name, c in zip(self.fields, self._convert))
        except AttributeError as e:
            raise TypeError(
                f"a {type(obj).__name__} instance passed to a jitted function has no field {e.name!r} "
                "(its __init__ did not set it)"
            ) from None


def _register(cls, spec):
    if spec is None:
        spec = getattr(cls, "__annotations__", {})
    items = list(spec.items()) if isinstance(spec, dict) else list(spec)
    fields, convert = [], []
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            raise TypeError(f"jitclass spec of {cls.__name__}: {item!r} is not a (name, type) pair")
        name, t = item
        fields.append(name)
        convert.append(_converter(t))
    methods = {}
    for name, value in vars(cls).items():
        if isinstance(value, _pytypes.FunctionType) and not (name.startswith("__") and name.endswith("__")):
            from . import jit

            methods[name] = jit(value)
            _METHOD_NAMES.add(name)
    cls.__stickyjit_jitclass__ = _JitclassInfo(tuple(fields), tuple(convert), methods)
    return cls


def _identity(v):
    return v


def _converter(t):
    """How a field's value is stored for its spec type ``t``: Python numbers converted to the scalar type's
    kind (as Numba stores them); anything else as it is."""
    if isinstance(t, _sjtypes.Scalar):
        name = t.name
        if name.startswith("float"):
            return _number(float)
        if name.startswith(("int", "uint")):
            return _number(int)
        if name == "bool":
            return _number(bool)
        if name.startswith("complex"):
            return _number(complex)
    return _identity


def _number(kind):
    def convert(v):
        # Python numbers only: a NumPy scalar or an array keeps its own type.
        return kind(v) if type(v) in (int, float, bool, complex) else v

    return convert
