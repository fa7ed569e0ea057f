"""Command line: ``python -m stickyjit [--version] cache info|list|clear|prune [--size N]``.

Exit status: 0 on success; 1 when the cache directory cannot be used (unsafe, not stickyjit's)
or some files could not be removed; 2 for a bad command line (argparse's); 141 (as a tool killed
by SIGPIPE) when the reader of the output went away (``... | head -1``), quietly.
"""

from __future__ import annotations

import argparse
import os
import sys
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
    a = p.parse_args(argv)

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
