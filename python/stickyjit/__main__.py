"""Command line: ``python -m stickyjit cache info|list|clear|prune [--size N]``."""
from __future__ import annotations

import argparse
import sys
import time

from . import _native, stats


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _parse_size(text: str) -> int:
    t = text.strip().upper()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(t[-1:], 1)
    try:
        return int(t[:-1] if mult > 1 else t) * mult
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 512M, 2G, 1048576)") from None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m stickyjit", description="Manage stickyjit's on-disk compile cache.")
    sub = p.add_subparsers(dest="group", required=True)
    c = sub.add_parser("cache", help="the on-disk compile cache (docs/caching.md)")
    csub = c.add_subparsers(dest="command", required=True)
    csub.add_parser("info", help="directory, entries, bytes, cap, this process's hits and misses")
    csub.add_parser("list", help="every entry: function, file, signature, size, last use")
    csub.add_parser("clear", help="remove every entry")
    pr = csub.add_parser("prune", help="evict least recently used entries down to the cap")
    pr.add_argument("--size", type=_parse_size, help="the cap (default: STICKYJIT_CACHE_SIZE or 1G)")
    a = p.parse_args(argv)

    if a.command == "clear":
        print(f"removed {_native.cache_clear()} entries")
        return 0
    if a.command == "prune":
        removed, freed = _native.cache_prune(a.size)
        print(f"removed {removed} entries, {_size(freed)}")
        return 0
    info = _native.cache_entries()
    entries = info["entries"]
    if "error" in info:
        print(f"warning: {info['error']}", file=sys.stderr)
    if a.command == "info":
        s = stats()
        print(f"directory: {info['directory']}{'' if info['enabled'] else ' (off: STICKYJIT_CACHE=0)'}")
        print(f"entries:   {len(entries)}")
        print(f"size:      {_size(sum(e['size'] for e in entries))} of a {_size(info['cap'])} cap")
        print(f"this process: {s['cache_hits']} hits, {s['cache_misses']} misses, {s['cache_writes']} writes")
        return 0
    rows = sorted(entries, key=lambda e: -e["last_use"])
    print(f"{'function':24} {'signature':28} {'size':>10}  {'last use':19}  file")
    for e in rows:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e["last_use"]))
        print(f"{e.get('function', '?'):24} {e.get('signature', '?'):28} {_size(e['size']):>10}  {when}  {e.get('file', '?')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
