"""``@stencil``: Numba's stencil decorator (docs/language.md, "Stencils").

A stencil kernel reads its array arguments at indices relative to the element being computed
(``x[-1] + x[0] + x[1]``). ``stencil(kernel)`` writes two functions out as source and jits them:
the kernel with each relative index added to the current one (``x[i0 + -1]``), and a function that
makes the result (of the first array's shape, filled with ``cval`` and of the dtype the kernel
returns) and calls the kernel at every element whose neighborhood lies inside the arrays. The
object returned is that function's dispatcher: called from Python or from jitted code (librosa
calls its stencils from ``@guvectorize`` kernels), it runs compiled, and it is sticky and cached
like any jitted function.

Imported at the first ``stencil``, never by ``import stickyjit``.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import linecache
import textwrap

# Numba's stencil options; ``func_or_mode`` takes only "constant" (as in Numba).
_STENCIL_OPTIONS = {"neighborhood", "cval", "standard_indexing", "func_or_mode"}


def stencil(func_or_mode="constant", **options):
    """``@stencil``, ``@stencil(neighborhood=..., cval=..., standard_indexing=...)`` or
    ``stencil(kernel, ...)``."""
    if callable(func_or_mode):
        return _make(func_or_mode, options)
    if func_or_mode != "constant":
        raise ValueError(f"stencil(): func_or_mode={func_or_mode!r} is not supported; only 'constant' is")
    return lambda kernel: _make(kernel, options)


def _make(kernel, options):
    from . import jit

    unknown = set(options) - _STENCIL_OPTIONS - {"cache", "fastmath", "boundscheck", "nogil", "error_model"}
    if unknown:
        raise TypeError(f"stencil() got unexpected options: {', '.join(sorted(unknown))}")
    options = dict(options)
    cval = options.pop("cval", 0)
    neighborhood = options.pop("neighborhood", None)
    standard = set(options.pop("standard_indexing", ()) or ())
    options.pop("func_or_mode", None)
    if not isinstance(cval, (bool, int, float, complex)):
        raise TypeError(f"stencil(): cval must be a number, not {type(cval).__name__}")

    tree = ast.parse(textwrap.dedent(inspect.getsource(kernel)))
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        raise TypeError("stencil() takes a function defined with def")
    name = fdef.name
    args = fdef.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
        raise TypeError(f"stencil kernel {fdef.name}() takes positional parameters only")
    params = [a.arg for a in args.args]
    relative = [p for p in params if p not in standard]
    if not relative:
        raise ValueError(f"stencil kernel {fdef.name}() has no array read with relative indices")

    offsets = _Offsets(set(relative))
    offsets.visit(fdef)
    if offsets.ndim is None:
        raise ValueError(f"stencil kernel {fdef.name}() reads none of its arrays at a relative index")
    ndim = offsets.ndim
    if neighborhood is not None:
        if len(neighborhood) != ndim or any(len(r) != 2 for r in neighborhood):
            raise ValueError(f"stencil(): neighborhood must give (low, high) for each of the {ndim} dimensions")
        bounds = [(int(lo), int(hi)) for lo, hi in neighborhood]
    elif offsets.variable:
        raise ValueError(
            f"stencil kernel {fdef.name}() reads at an index that is not a constant: give neighborhood=((low, high), ...)"
        )
    else:
        bounds = offsets.bounds
    shape_of = next(p for p in params if p in offsets.used)

    index = [f"__i{d}" for d in range(ndim)]
    body = _Rewrite(set(relative), index).visit(fdef)
    body.name = "__stencil_kernel"
    body.decorator_list = []
    body.returns = None
    for a in body.args.args:
        a.annotation = None
    body.args.args = [ast.arg(arg=i) for i in index] + body.args.args
    ast.fix_missing_locations(body)
    kernel_src = ast.unparse(body) + "\n"

    call = f"__stencil_kernel({', '.join(index)}, {', '.join(params)})"
    zeros = ", ".join("0" for _ in range(ndim))
    lines = [
        f"def __stencil_apply({', '.join(params)}):",
        # The kernel's result type, for the result's dtype (the comprehension runs no call).
        f"    __probe = __stencil_np.array([__stencil_kernel({zeros}, {', '.join(params)}) for __k in range(0)])",
        f"    __out = __stencil_np.full({shape_of}.shape, __stencil_cval, dtype=__probe.dtype)",
    ]
    for d, (lo, hi) in enumerate(bounds):
        start, stop = max(0, -min(lo, 0)), max(0, max(hi, 0))
        lines.append(f"{'    ' * (d + 1)}for {index[d]} in range({start}, {shape_of}.shape[{d}] - {stop}):")
    lines.append(f"{'    ' * (ndim + 1)}__out[{', '.join(index)}] = {call}")
    lines.append("    return __out")
    apply_src = "\n".join(lines) + "\n"

    src = kernel_src + "\n\n" + apply_src
    digest = hashlib.blake2s(src.encode()).hexdigest()[:16]
    filename = f"<stickyjit-stencil-{name}-{digest}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    # The kernel's globals, as they are now (a stencil's globals are frozen when it is made).
    namespace = dict(kernel.__globals__)
    namespace["__stencil_cval"] = cval
    import numpy

    namespace["__stencil_np"] = numpy
    exec(compile(src, filename, "exec"), namespace)  # noqa: S102 - the stencil's own functions
    namespace["__stencil_kernel"] = jit(**options)(namespace["__stencil_kernel"])
    apply = namespace["__stencil_apply"]
    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = kernel.__doc__
    dispatcher = jit(**options)(apply)
    return dispatcher


class _Offsets(ast.NodeVisitor):
    """The relative indices a kernel reads its arrays at: the number of dimensions, each
    dimension's lowest and highest constant offset, and whether some index is not a constant."""

    def __init__(self, relative):
        self.relative = relative
        self.used = set()
        self.ndim = None
        self.bounds = []
        self.variable = False

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id in self.relative):
            return
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if self.ndim is None:
            self.ndim = len(items)
            self.bounds = [(0, 0) for _ in items]
        elif len(items) != self.ndim:
            raise ValueError("stencil kernel reads its arrays with different numbers of indices")
        self.used.add(node.value.id)
        for d, item in enumerate(items):
            k = _constant(item)
            if k is None:
                self.variable = True
                continue
            lo, hi = self.bounds[d]
            self.bounds[d] = (min(lo, k), max(hi, k))


def _constant(e):
    """The int a relative index is (``1``, ``-1``), or None."""
    if isinstance(e, ast.Constant) and type(e.value) is int:
        return e.value
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.UAdd)):
        k = _constant(e.operand)
        return None if k is None else (-k if isinstance(e.op, ast.USub) else k)
    return None


class _Rewrite(ast.NodeTransformer):
    """``x[a, b]`` of a relatively indexed array written ``x[__i0 + (a), __i1 + (b)]``."""

    def __init__(self, relative, index):
        self.relative = relative
        self.index = index

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id in self.relative):
            return node
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        moved = [
            ast.BinOp(left=ast.Name(id=i, ctx=ast.Load()), op=ast.Add(), right=e) for i, e in zip(self.index, items)
        ]
        node.slice = moved[0] if len(moved) == 1 else ast.Tuple(elts=moved, ctx=ast.Load())
        return node
