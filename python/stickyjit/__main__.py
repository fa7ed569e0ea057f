"""Command line: ``python -m stickyjit [--version] cache info|list|clear|prune [--size N]``,
``cache warm MODULE[:FUNCTION]... --signature SIG...``, ``cache export FILE``, ``cache import FILE``.

Exit status: 0 on success; 1 when the cache directory cannot be used (unsafe, not stickyjit's)
or some files could not be removed; 2 for a bad command line (argparse's); 141 (as a tool killed
by SIGPIPE) when the reader of the output went away (``... | head -1``), quietly.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import io
import json
import os
import sys
import tarfile
import time

from . import _native

PROG = "python -m stickyjit"


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _parse_size(text: str) -> int:
    t = text.strip().upper()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(t[-1:], 1)
    try:
        n = int(t[:-1] if mult > 1 else t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 512M, 2G, 1048576)") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (a size cannot be negative)")
    return n * mult


def _error(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


class _Version(argparse.Action):
    """``--version``: asks the extension only when given (LLVM's version without starting LLVM)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        v = _native.versions()
        print(f"stickyjit {v['stickyjit']} (LLVM {v['llvm']}, cache format {v['cache_format']})")
        parser.exit()


def _report(result: dict, what: str) -> int:
    """Prints what clear/prune did; 1 when some files could not be removed."""
    if result.get("cap_error"):
        _error(result["cap_error"])
    print(
        f"removed {result['removed']} entries, {_size(result['freed'])}"
        + (f", {result['temporaries']} temporary files" if result["temporaries"] else "")
    )
    if result["left"]:
        print(f"left {result['left']} files stickyjit did not write (or cannot prove it did)")
    code = 0
    for path, why in result["unsafe_dirs"]:
        _error(f"not entered: {path} {why}")
        code = 1 if what == "clear" else code
    if result["failed"]:
        reasons = sorted({why for _, why in result["failed"]})
        _error(f"could not remove {len(result['failed'])} files ({'; '.join(reasons)}), e.g. {result['failed'][0][0]}")
        code = 1
    return code


def _label(e: dict) -> tuple[str, str, str]:
    """(function, signature, file) columns of one entry; a damaged or refused entry says so."""
    if e["status"] == "ok":
        return e.get("function", "?"), e.get("signature", "?"), e.get("file", "?")
    return e["status"], "-", f"{e['path']} ({e['why']})"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog=PROG, description="Manage stickyjit's on-disk compile cache.")
    p.add_argument("--version", action=_Version, help="print stickyjit's and LLVM's versions and exit")
    sub = p.add_subparsers(dest="group", required=True)
    c = sub.add_parser("cache", help="the on-disk compile cache (docs/caching.md)")
    csub = c.add_subparsers(dest="command", required=True)
    csub.add_parser("info", help="directory, integrity key, entries (usable, damaged, refused), bytes, cap")
    csub.add_parser("list", help="every entry: function, signature, size, last use, file")
    csub.add_parser("clear", help="remove every entry (only files stickyjit wrote)")
    pr = csub.add_parser("prune", help="evict least recently used entries down to the cap")
    pr.add_argument("--size", type=_parse_size, help="the cap (default: STICKYJIT_CACHE_SIZE or 1G)")
    w = csub.add_parser(
        "warm",
        help="compile jitted functions for given argument types into the cache, without running them",
    )
    w.add_argument(
        "targets", nargs="+", metavar="MODULE[:FUNCTION]", help="a module (all its jitted functions) or one function"
    )
    w.add_argument(
        "--signature",
        "-s",
        action="append",
        required=True,
        metavar="SIG",
        help="argument types as Numba writes them: '(float64[::1], int64)' or 'float64(float64[::1], int64)'; repeatable",
    )
    ex = csub.add_parser("export", help="write every usable entry to a tarball (with a checksum per entry)")
    ex.add_argument("file", help="the tarball to create (.tar.gz); an existing file is not overwritten")
    im = csub.add_parser("import", help="verify a tarball's checksums, then add its entries to the cache")
    im.add_argument("file", help="a tarball written by `cache export`")
    a = p.parse_args(argv)

    if a.command == "warm":
        return _warm(a.targets, a.signature)
    if a.command == "export":
        return _export(a.file)
    if a.command == "import":
        return _import(a.file)
    try:
        if a.command in ("clear", "prune"):
            result = _native.cache_clear() if a.command == "clear" else _native.cache_prune(a.size)
            return _report(result, a.command)
        info = _native.cache_entries()
    except BrokenPipeError:
        raise
    except OSError as e:
        _error(f"error: {e}")
        return 1
    entries = info["entries"]
    if a.command == "info":
        if info["cap_error"]:
            _error(info["cap_error"])
        where = info["directory"]
        if not info["enabled"]:
            where += " (off: STICKYJIT_CACHE=0)"
        if not info["exists"]:
            where += " (does not exist yet)"
        elif not info["created_by_stickyjit"]:
            where += " (not created by stickyjit: its entries are used, but nothing is ever removed from it)"
        print(f"directory: {where}")
        if info["key_file"]:
            print(
                f"integrity key: {info['key_file']}"
                + (" (shared: STICKYJIT_CACHE_KEY_FILE)" if info["key_shared"] else "")
            )
        counts = {}
        for e in entries:
            counts[e["status"]] = counts.get(e["status"], 0) + 1
        detail = ", ".join(
            f"{n} {'usable' if s == 'ok' else s}" for s, n in sorted(counts.items(), key=lambda kv: kv[0] != "ok")
        )
        print(f"entries:   {len(entries)}" + (f" ({detail})" if detail else ""))
        print(f"size:      {_size(sum(e['size'] for e in entries))} of a {_size(info['cap'])} cap")
        return 0
    rows = sorted(entries, key=lambda e: -e["last_use"])
    print(f"{'function':24} {'signature':28} {'size':>10}  {'last use':19}  file")
    for e in rows:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e["last_use"]))
        function, signature, file = _label(e)
        print(f"{function:24} {signature:28} {_size(e['size']):>10}  {when}  {file}")
    return 0


def _warm(targets: list[str], signature_texts: list[str]) -> int:
    """Compiles (or loads) each target function for each signature with as many arguments as it
    has parameters; a FUNCTION named explicitly must have at least one. 1 when anything failed."""
    from . import Dispatcher, types

    sigs = []
    for text in signature_texts:
        try:
            sigs.extend(types.parse_signatures(text))
        except (TypeError, ValueError, SyntaxError) as e:
            _error(f"--signature {text!r}: {e}")
            return 2
    code = 0
    for target in targets:
        module_name, _, qualname = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except Exception as e:  # noqa: BLE001 - the module's own failure, reported
            _error(f"cannot import {module_name}: {type(e).__name__}: {e}")
            code = 1
            continue
        if qualname:
            obj = module
            try:
                for part in qualname.split("."):
                    obj = getattr(obj, part)
            except AttributeError:
                _error(f"{module_name} has no {qualname}")
                code = 1
                continue
            if not isinstance(obj, Dispatcher):
                _error(f"{target} is not a jitted function (a {type(obj).__name__})")
                code = 1
                continue
            functions = [(qualname, obj, True)]
        else:
            functions = [
                (name, v, False)
                for name, v in vars(module).items()
                if isinstance(v, Dispatcher) and getattr(v, "__module__", None) == module.__name__
            ]
            if not functions:
                _error(f"{module_name} defines no jitted functions")
                code = 1
        for name, d, named in functions:
            declared = getattr(d, "__stickyjit_options__", (None, ()))[1]
            if declared:
                # @jit("sig", ...): its signatures compiled (or loaded) when the module was
                # imported, just now; calls convert to them, so no other signature is used.
                print(f"{module_name}:{name}: declared {', '.join(declared)}: compiled when imported")
                continue
            nparams = d.py_func.__code__.co_argcount
            if all(len(sig.args) != nparams for sig in sigs):
                if named:
                    _error(f"{module_name}:{name} takes {nparams} arguments; no signature given has {nparams}")
                    code = 1
                else:
                    print(f"{module_name}:{name}: skipped (it takes {nparams} arguments; no signature has {nparams})")
            for sig in sigs:
                args, ret = types.native_signature(sig)
                if len(args) != nparams:
                    continue  # a signature of another function
                before = _native.stats()
                try:
                    got = d._warm(args)
                except Exception as e:  # noqa: BLE001 - a CompileError or TypeError, reported
                    _error(f"{module_name}:{name} {sig}: {type(e).__name__}: {e}")
                    code = 1
                    continue
                after = _native.stats()
                if ret is not None and isinstance(ret, str) and ret != got:
                    _error(f"{module_name}:{name} {sig}: it returns {got}, not {ret}")
                    code = 1
                    continue
                if after["compiles"] > before["compiles"]:
                    how = "compiled" + (
                        " and written to the cache" if after["cache_writes"] > before["cache_writes"] else ""
                    )
                elif after["cache_hits"] > before["cache_hits"]:
                    how = "already in the cache"
                else:
                    how = "already compiled"
                print(f"{module_name}:{name}({', '.join(map(str, sig.args))}) -> {got}: {how}")
    return code


# The tarball `cache export` writes: MANIFEST.json (format, versions, and per entry its key,
# metadata, object member and sha256) and one member per object. Import reads members into memory
# (nothing is extracted to disk) and verifies every checksum before the first entry is written.
_TAR_DIR = "stickyjit-cache"
_TAR_FORMAT = 1
_MAX_MEMBER = 256 << 20


def _digest(key: str, meta, obj: bytes) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([key, meta], separators=(",", ":")).encode())
    h.update(b"\0")
    h.update(obj)
    return h.hexdigest()


def _export(path: str) -> int:
    try:
        entries, skipped = _native.cache_export_entries()
    except OSError as e:
        _error(f"error: {e}")
        return 1
    for where, why in skipped:
        _error(f"left out: {where} ({why})")
    v = _native.versions()
    manifest = {
        "format": _TAR_FORMAT,
        "stickyjit": v["stickyjit"],
        "cache_format": v["cache_format"],
        "entries": [
            {"key": key, "meta": meta, "object": f"{_TAR_DIR}/objects/{key}.o", "sha256": _digest(key, meta, obj)}
            for key, meta, obj in entries
        ],
    }
    try:
        out = open(path, "xb")  # never replaces a file
    except OSError as e:
        _error(f"cannot create {path}: {e.strerror}")
        return 1
    with out, tarfile.open(fileobj=out, mode="w:gz") as tar:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            tar.addfile(info, io.BytesIO(data))

        add(f"{_TAR_DIR}/MANIFEST.json", json.dumps(manifest, indent=1).encode())
        for (_key, _meta, obj), e in zip(entries, manifest["entries"]):
            add(e["object"], obj)
    size = sum(len(obj) for _, _, obj in entries)
    print(f"exported {len(entries)} entries ({_size(size)}) to {path}")
    return 1 if skipped else 0


def _read_tarball(path: str):
    """The verified entries of a tarball `cache export` wrote, or raises ValueError saying why."""
    try:
        tar = tarfile.open(path, mode="r:*")
    except (OSError, tarfile.TarError) as e:
        raise ValueError(f"cannot read {path}: {e}") from None
    with tar:
        members = {}
        for m in tar.getmembers():
            if not m.isfile() or m.size > _MAX_MEMBER or not m.name.startswith(_TAR_DIR + "/"):
                raise ValueError(f"{path}: unexpected member {m.name!r} (not written by `cache export`)")
            members[m.name] = m

        def read(name: str) -> bytes:
            if name not in members:
                raise ValueError(f"{path}: {name} is missing")
            data = tar.extractfile(members[name]).read()
            if len(data) != members[name].size:
                raise ValueError(f"{path}: {name} is truncated")
            return data

        try:
            manifest = json.loads(read(f"{_TAR_DIR}/MANIFEST.json"))
            if manifest.get("format") != _TAR_FORMAT:
                raise ValueError(
                    f"{path}: tarball format {manifest.get('format')!r}, this stickyjit reads {_TAR_FORMAT}"
                )
            out = []
            for e in manifest["entries"]:
                key, meta, name = e["key"], [tuple(kv) for kv in e["meta"]], e["object"]
                if name != f"{_TAR_DIR}/objects/{key}.o":
                    raise ValueError(f"{path}: entry {key!r} names the member {name!r}")
                obj = read(name)
                if _digest(key, [list(kv) for kv in meta], obj) != e["sha256"]:
                    raise ValueError(f"{path}: entry {key} does not match its checksum (damaged or altered)")
                out.append((key, meta, obj))
        except (KeyError, TypeError, json.JSONDecodeError, tarfile.TarError, EOFError, OSError) as e:
            raise ValueError(f"{path}: not a tarball of `cache export` ({type(e).__name__}: {e})") from None
        return out


def _import(path: str) -> int:
    try:
        entries = _read_tarball(path)
    except ValueError as e:
        _error(f"{e}; nothing imported")
        return 1
    try:
        outcomes = _native.cache_import_entries(entries)
    except OSError as e:
        _error(f"error: {e}")
        return 1
    imported = outcomes.count("imported")
    present = outcomes.count("present")
    refused = [(key, why) for (key, _, _), why in zip(entries, outcomes) if why not in ("imported", "present")]
    for key, why in refused:
        _error(f"refused entry {key}: {why}")
    print(f"imported {imported} entries" + (f" ({present} already present)" if present else ""))
    return 1 if refused else 0


def run(argv=None) -> int:
    """`main`, stopping quietly when stdout's reader has gone away (``| head -1``)."""
    try:
        code = main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Python ignores SIGPIPE, so a write to a closed pipe raises; a Unix tool would have
        # been killed by the signal without a word. Point stdout at /dev/null so that the
        # interpreter's final flush does not fail again, and exit as if killed by SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13


if __name__ == "__main__":
    sys.exit(run())
