"""jit-py's modules form a DAG, and the table at the top of jit-py/src/lib.rs says truthfully
which module uses which (every `crate::module` a file names, in a `use` line or a path)."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "jit-py" / "src"


def _uses() -> dict[str, set[str]]:
    uses = {}
    for path in SRC.glob("*.rs"):
        if path.stem == "lib":
            continue
        text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
        uses[path.stem] = set(re.findall(r"crate::([a-z_]+)", text)) - {path.stem}
    return uses


def _table() -> dict[str, set[str]]:
    table = {}
    for line in (SRC / "lib.rs").read_text().splitlines():
        m = re.match(r"//! \| \[?`([a-z_]+)`\]? \| .* \| ([a-z_, —]+) \|$", line)
        if m and m.group(1) != "lib":
            table[m.group(1)] = {u.strip() for u in m.group(2).split(",") if u.strip() not in ("", "—")}
    return table


def test_the_lib_rs_table_matches_the_code():
    assert _table() == _uses()


def test_modules_form_a_dag():
    uses = _uses()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join((*path, module))}"
        if module in done:
            return
        for used in uses.get(module, ()):
            visit(used, (*path, module))
        done.add(module)

    for module in uses:
        visit(module, ())
