"""Type stubs for ``python -m stickyjit`` (the cache command line, docs/caching.md)."""

from collections.abc import Sequence

PROG: str

def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line ``argv`` (``sys.argv[1:]`` when None); the exit status."""

def run(argv: Sequence[str] | None = None) -> int:
    """``main``, with a reader of the output that went away (SIGPIPE) quietly ending it."""
