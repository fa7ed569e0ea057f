"""NPBench mode: runs NPBench's Numba kernels (``*_numba_n.py``) unchanged under Numba and, with
their ``numba`` import swapped for ``stickyjit``, under stickyjit, and checks both against
NPBench's NumPy reference the way NPBench does.

    make bench-npbench NPBENCH=/path/to/npbench            # set-up, then this on preset S
    .venv/bin/python benches/npbench.py --npbench DIR --kernels adi,gemm --repeat 3
    .venv/bin/python benches/npbench.py --npbench DIR --docs   # also rewrite docs/npbench.md

NPBench (github.com/spcl/npbench) is not part of this repository: give a checkout of it. A
benchmark is ``bench_info/<name>.json`` (its parameters per preset, its init function, the
kernel's name and arguments) and, under ``npbench/benchmarks/<relative_path>/``, the module
holding the init function, ``<module>_numpy.py`` (the reference) and ``<module>_numba_n.py``.

Each framework runs each kernel in its own child process (``--child SPEC``) under a timeout, so
a crash or a hang stops one kernel only. The NumPy child makes the inputs with the benchmark's
init function (once: some inits draw unseeded random numbers) and hands them to the others.
Each call gets fresh copies of the array arguments (NPBench's ``np.copy`` set-up, not timed).
Figures per kernel and framework: whether it runs (else the exception and the first line of
its message: for stickyjit a CompileError naming the construct that stops it), whether it
validates (NPBench's rule: ``np.allclose(rtol, atol)`` per output, else relative error below
``norm_error``; the benchmark may set all three), the first call (compile + run; stickyjit gets
an empty cache directory, so this is a cold compile) and the steady time (median of
``--repeat`` calls after the first). Results go to ``bench-results/npbench/``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pickle
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import fmt_ratio, fmt_time, geomean, machine_info  # noqa: E402

FRAMEWORKS = ("stickyjit", "numba")
TIMEOUT = 300.0

# Numba's import lines and their stickyjit equivalents (`nb.jit` and `numba.njit` then resolve
# to stickyjit's, which accepts Numba's options).
IMPORTS = (
    (re.compile(r"^([ \t]*)import numba as (\w+)[ \t]*$", re.M), r"\1import stickyjit as \2"),
    (re.compile(r"^([ \t]*)import numba[ \t]*$", re.M), r"\1import stickyjit as numba"),
    (re.compile(r"^([ \t]*)from numba import ", re.M), r"\1from stickyjit import "),
)


# ---------------------------------------------------------------------------------------------
# the benchmarks


# Which Numba kernels run: `numba_n` (the default, `parallel=False`) or `numba_npr` (the 18
# kernels written with `prange` and `parallel=True`), set by `--variant`.
VARIANT = {"name": "numba_n"}


def benchmarks(npbench: Path) -> dict[str, dict]:
    """Every benchmark of the checkout that has a Numba kernel of the variant: name -> its
    bench_info entry."""
    out = {}
    for path in sorted((npbench / "bench_info").glob("*.json")):
        info = json.loads(path.read_text())["benchmark"]
        if kernel_file(npbench, info, VARIANT["name"]).exists():
            out[path.stem] = info
    return out


def kernel_file(npbench: Path, info: dict, postfix: str | None = None) -> Path:
    """The init module (no postfix) or the `<module>_<postfix>.py` implementation."""
    name = info["module_name"] + (f"_{postfix}" if postfix else "")
    return npbench / "npbench" / "benchmarks" / info["relative_path"] / f"{name}.py"


def swap_imports(source: str) -> str:
    for pattern, repl in IMPORTS:
        source = pattern.sub(repl, source)
    return source


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------
# the child: one framework, one kernel


def make_inputs(npbench: Path, info: dict, preset: str) -> dict:
    """The preset's parameters plus what the init function makes of them (as NPBench binds them)."""
    data = dict(info["parameters"][preset])
    init = info.get("init")
    if init:
        module = load_module(kernel_file(npbench, info), f"_npb_init_{info['module_name']}")
        made = getattr(module, init["func_name"])(*[data[a] for a in init["input_args"]])
        names = init["output_args"]
        data.update({names[0]: made} if len(names) == 1 else dict(zip(names, made, strict=True)))
    return data


def call_once(func, info: dict, data: dict) -> tuple[float, list]:
    """One timed call on fresh copies of the array arguments: (seconds, outputs), the outputs
    being what it returns followed by its output arguments, as NPBench collects them."""
    import numpy as np

    fresh = {a: np.copy(data[a]) for a in info["array_args"]}
    args = [fresh.get(a, data.get(a)) for a in info["input_args"]]
    t0 = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - t0
    outs = [] if result is None else list(result) if isinstance(result, tuple | list) else [result]
    return elapsed, outs + [fresh[a] for a in info.get("output_args", [])]


def implementation(spec: dict, info: dict):
    """The kernel function of `spec`'s framework; stickyjit's from a swapped copy of the Numba
    source written to a file (stickyjit reads function source through linecache)."""
    npbench, fw = Path(spec["npbench"]), spec["framework"]
    if fw == "numpy":
        path = kernel_file(npbench, info, "numpy")
    elif fw == "numba":
        path = kernel_file(npbench, info, VARIANT["name"])
    else:
        # Same file name and line numbers as the original, which a CompileError then points into.
        path = Path(spec["workdir"]) / kernel_file(npbench, info, VARIANT["name"]).name
        path.write_text(swap_imports(kernel_file(npbench, info, VARIANT["name"]).read_text()))
    return getattr(load_module(path, f"_npb_{fw}_{info['module_name']}"), info["func_name"])


def child_main(spec: dict) -> dict:
    VARIANT["name"] = spec.get("variant", "numba_n")
    npbench, info = Path(spec["npbench"]), benchmarks(Path(spec["npbench"]))[spec["kernel"]]
    inputs = Path(spec["workdir"]) / "inputs.pkl"
    stage = "inputs"
    try:
        if spec["framework"] == "numpy":
            data = make_inputs(npbench, info, spec["preset"])
            inputs.write_bytes(pickle.dumps(data))
        else:
            data = pickle.loads(inputs.read_bytes())
        stage = "load"
        func = implementation(spec, info)
        stage = "call"
        first, outs = call_once(func, info, data)
        steady = [call_once(func, info, data)[0] for _ in range(spec["repeat"])]
    except BaseException as e:  # noqa: B036 - what stops a kernel is the result
        lines = str(e).strip().splitlines() or [""]
        return {
            "runs": False,
            "stage": stage,
            "error_type": type(e).__name__,
            "error": lines[0].replace(spec["workdir"] + "/", ""),
            "error_source": lines[1].strip() if type(e).__name__ == "CompileError" and len(lines) > 1 else None,
        }
    Path(spec["outputs"]).write_bytes(pickle.dumps(outs))
    return {"runs": True, "first": first, "steady": statistics.median(steady) if steady else None, "times": steady}


# ---------------------------------------------------------------------------------------------
# the parent: children, validation, summary


def run_child(spec: dict, cache_dir: str, timeout: float) -> dict:
    env = dict(os.environ)
    env["STICKYJIT_CACHE_DIR"] = cache_dir
    env["NUMBA_CACHE_DIR"] = cache_dir
    # Byte code cached as after a `pip install` (which compiles every module): a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise make each child compile stickyjit's library
    # modules from source on their first import, inside the timed first call.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = Path(spec["workdir"]) / f"result-{spec['framework']}.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec), "--child-out", str(result)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=spec["workdir"])
    except subprocess.TimeoutExpired:
        return {"runs": False, "error_type": "Timeout", "error": f"no answer in {timeout:.0f} s"}
    if result.exists():
        return json.loads(result.read_text())
    if proc.returncode < 0:
        name = signal.Signals(-proc.returncode).name
        return {"runs": False, "error_type": "Crash", "error": f"killed by {name}"}
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
    return {"runs": False, "error_type": "Crash", "error": tail[0]}


def validate(ref: list, val: list, info: dict) -> tuple[bool, str | None]:
    """NPBench's rule: outputs paired in order (returned values, then output arguments; the
    longer list cut to the shorter, as NPBench's zip does), each pair close (np.allclose) or
    within `norm_error` relative error. Unlike NPBench, nothing to compare, or outputs that
    cannot be compared (shapes that do not broadcast), do not validate."""
    import numpy as np

    rtol, atol = info.get("rtol", 1e-5), info.get("atol", 1e-8)
    norm_error = info.get("norm_error", 1e-5)
    if ref and not val:
        return False, f"no outputs, NumPy's reference has {len(ref)}"
    for i, (r, v) in enumerate(zip(ref, val)):
        try:
            if np.allclose(r, v, rtol=rtol, atol=atol):
                continue
            rel = np.linalg.norm(np.asarray(r) - np.asarray(v)) / np.linalg.norm(r)
        except Exception as e:
            return False, f"output {i}: {type(e).__name__}: {e}"
        if not rel < norm_error:
            return False, f"output {i}: relative error {rel:.3g}"
    return True, None


def measure_kernel(npbench: Path, name: str, info: dict, frameworks, preset: str, repeat: int, timeout: float) -> dict:
    """Every framework on one kernel; NumPy first, for the inputs and the expected answer."""
    record = {}
    with tempfile.TemporaryDirectory(prefix=f"npbench-{name}-") as work:
        outs = {}
        for fw in ("numpy", *frameworks):
            spec = {"npbench": str(npbench), "kernel": name, "framework": fw, "preset": preset, "repeat": repeat}
            spec["variant"] = VARIANT["name"]
            spec |= {"workdir": work, "outputs": f"{work}/out-{fw}.pkl"}
            if fw != "numpy" and not Path(work, "inputs.pkl").exists():
                record[fw] = {"runs": False, "error_type": "NoInputs", "error": "the init function failed"}
                continue
            with tempfile.TemporaryDirectory(prefix="cache-", dir=work) as cache:
                record[fw] = run_child(spec, cache, timeout)
            # The child's files (NumPy's: the inputs, tens of MB at preset S) on disk before the
            # next child starts: else their write-back runs during that child's first call.
            os.sync()
            if record[fw]["runs"]:
                outs[fw] = pickle.loads(Path(spec["outputs"]).read_bytes())
        for fw in frameworks:
            r = record[fw]
            if not r["runs"]:
                r["validates"] = False
            elif "numpy" not in outs:
                r["validates"], r["mismatch"] = False, "no NumPy reference"
            else:
                r["validates"], r["mismatch"] = validate(outs["numpy"], outs[fw], info)
    sj, nb = record.get("stickyjit", {}), record.get("numba", {})
    if sj.get("validates") and nb.get("validates") and sj["steady"]:
        record["ratio"] = nb["steady"] / sj["steady"]
    return record


def failure_reason(r: dict) -> tuple[str, str]:
    """What stops a kernel, short enough to count: (the construct a CompileError names, else the
    exception type; a detail such as the function called or the dtype). A wrong answer is a
    reason of its own; ("", "") when nothing stops it."""
    if r["runs"]:
        return ("", "") if r["validates"] else ("wrong answer", "")
    msg = r.get("error", "")
    if m := re.search(r"not jitted \('([\w.]+)'", msg):
        return "call to a NumPy function not compiled yet", m.group(1)
    if m := re.search(r"unsupported operand types for (\S+): (.+?) and (.+?)$", msg):
        kinds = ["array" if t.startswith("array(") else "scalar" for t in m.group(2, 3)]
        return "array expression (operator on arrays)", f"{m.group(1)} on {' and '.join(kinds)}"
    if m := re.search(r"\('(\w+=)' is not compiled yet\)", msg):
        return "keyword argument to a NumPy function", m.group(1)
    if m := re.search(r"unsupported construct: (.+?)(?: \(|$)", msg):
        return m.group(1).strip(), ""
    if m := re.search(r"array of dtype '(\w+)'", msg):
        return "argument dtype not supported", m.group(1)
    if r["error_type"] == "CompileError" and (m := re.search(r"\d+:\d+: (.+?)(?::|$)", msg)):
        return m.group(1).strip(), ""
    return r["error_type"], msg


def summarize(results: dict, frameworks) -> dict:
    k = results["kernels"]
    s = {"kernels": len(k)}
    for fw in ("numpy", *frameworks):
        s[fw] = {
            "runs": sum(1 for r in k.values() if r[fw]["runs"]),
            "validates": sum(1 for r in k.values() if r[fw].get("validates", r[fw]["runs"])),
        }
    ratios = [r["ratio"] for r in k.values() if r.get("ratio")]
    s["both_validate"] = len(ratios)
    s["geomean_ratio"] = geomean(ratios)
    if "stickyjit" in frameworks:
        reasons = [failure_reason(r["stickyjit"]) for r in k.values()]
        counts = Counter(group for group, _ in reasons if group)
        details = {g: Counter(d for group, d in reasons if group == g and d) for g in counts}
        s["stickyjit_reasons"] = {g: {"kernels": n, "details": dict(details[g])} for g, n in counts.most_common()}
    return s


def cell(r: dict) -> list[str]:
    if not r["runs"]:
        return ["no", "", ""]
    return ["yes" if r["validates"] else "**no**", fmt_time(r["first"]), fmt_time(r["steady"])]


def stop_text(r: dict | None) -> str:
    """The exception and its first line (with the source line of a CompileError), or why the
    answer did not validate; "" when the kernel runs and validates."""
    if not r or (r["runs"] and r["validates"]):
        return ""
    if r["runs"]:
        return f"wrong answer ({r.get('mismatch')})"
    text = f"{r['error_type']}: {r['error']}"
    if r.get("error_source"):
        text += f" — `{r['error_source']}`"
    return text.replace("|", "\\|")


def table_md(results: dict, frameworks) -> str:
    head = ["kernel", "NumPy steady"]
    for fw in frameworks:
        head += [f"{fw} validates", f"{fw} first call", f"{fw} steady"]
    head += ["speed vs Numba"] + [f"what stops {fw}" for fw in frameworks]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, r in results["kernels"].items():
        npr = r["numpy"]
        np_time = fmt_time(npr["steady"]) if npr["runs"] else f"fails in {npr.get('stage')}: {npr['error']}"
        line = [name, np_time]
        for fw in frameworks:
            line += cell(r[fw])
        line.append(fmt_ratio(r.get("ratio")) if r.get("ratio") else "")
        line += [stop_text(r.get(fw)) for fw in frameworks]
        rows.append("| " + " | ".join(line) + " |")
    return "\n".join(rows)


def summary_md(s: dict, frameworks) -> str:
    lines = [f"Of {s['kernels']} kernels:", ""]
    for fw in ("numpy", *frameworks):
        lines.append(f"- {fw}: {s[fw]['runs']} run, {s[fw]['validates']} validate")
    if len(frameworks) == 2:
        lines.append(
            f"- both validate: {s['both_validate']}; geometric mean of Numba's steady time over stickyjit's "
            f"(above 1: stickyjit faster): {fmt_ratio(s['geomean_ratio'])}"
        )
    if s.get("stickyjit_reasons"):
        lines += ["", "What stops stickyjit (kernels per reason):", ""]
        for reason, c in s["stickyjit_reasons"].items():
            detail = ", ".join(f"{d} ×{n}" if n > 1 else d for d, n in c["details"].items())
            lines.append(f"- {c['kernels']} × {reason}" + (f" ({detail})" if detail else ""))
    return "\n".join(lines)


def write_docs(results: dict, body: str) -> None:
    m, o = results["machine"], results["options"]
    v = m["versions"]
    text = f"""# NPBench

This page is written whole by `benches/npbench.py --docs` (do not edit it by hand): NPBench's
Numba kernels (`npbench/benchmarks/**/*_numba_n.py`, github.com/spcl/npbench) run unchanged
under Numba and, with `import numba as nb` swapped for `import stickyjit as nb`, under
stickyjit; both are checked against NPBench's NumPy reference as NPBench checks them.

    make bench-npbench NPBENCH=/path/to/npbench        # or:
    .venv/bin/python benches/npbench.py --npbench /path/to/npbench --preset S --docs

Measured {m["date"]} on {m["cpu"]} ({m["cpus"]} CPUs, {m["system"]}), preset {o["preset"]},
Python {v["python"]}, NumPy {v["numpy"]}, Numba {v["numba"]}, stickyjit {v["stickyjit"]}.

Each framework runs each kernel in a fresh process (NumPy's first, then stickyjit's, then
Numba's; the files a process wrote are flushed to disk before the next one starts, so that their
write-back does not land in the next one's first call). *first call* is compile + run; for
stickyjit with an empty cache directory, so a cold compile. *steady* is the median of
{o["repeat"]} calls after the first, each on fresh copies of the array arguments (not timed).
*validates*: the outputs (returned values, then output arguments) paired in order with NumPy's
as NPBench pairs them, each within `np.allclose(rtol=1e-5, atol=1e-8)`, else within a relative
error of 1e-5 (a benchmark may set its own bounds). *speed vs Numba* is Numba's
steady time divided by stickyjit's (above 1: stickyjit is faster), where both validate.
*what stops* a framework is the exception and the first line of its message (for a
stickyjit CompileError, the construct it names and the source line), or why its answer does
not validate. Only the first construct that stops a kernel is seen: there may be more behind it.

{body}
"""
    (HERE.parent / "docs" / "npbench.md").write_text(text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--npbench", type=Path, help="a checkout of github.com/spcl/npbench (required)")
    ap.add_argument("--preset", choices=("S", "M", "L", "paper"), default="S")
    ap.add_argument("--kernels", help="comma-separated benchmark names (bench_info/<name>.json; default: all)")
    ap.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="comma-separated: stickyjit,numba")
    ap.add_argument("--repeat", type=int, default=5, help="calls after the first for the steady median")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per kernel and framework")
    ap.add_argument("--out", type=Path, help="directory for results.{json,md} (bench-results/npbench/)")
    ap.add_argument("--docs", action="store_true", help="also write docs/npbench.md")
    ap.add_argument(
        "--variant",
        choices=("numba_n", "numba_npr"),
        default="numba_n",
        help="NPBench's Numba kernels to run: numba_n (parallel=False) or numba_npr (prange, parallel=True)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--child-out", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        Path(a.child_out).write_text(json.dumps(child_main(json.loads(a.child))))
        return 0
    VARIANT["name"] = a.variant
    if a.docs and a.variant != "numba_n":
        ap.error("--docs writes the numba_n table (docs/npbench.md)")
    if a.npbench is None:
        ap.error("--npbench DIR is required: a checkout of github.com/spcl/npbench")
    npbench = a.npbench.resolve()
    if not (npbench / "bench_info").is_dir():
        ap.error(f"{npbench} is not an NPBench checkout (no bench_info/)")
    frameworks = [f for f in a.frameworks.split(",") if f]
    for f in frameworks:
        if f not in FRAMEWORKS:
            ap.error(f"unknown framework {f!r}; choose from {', '.join(FRAMEWORKS)}")
    known = benchmarks(npbench)
    names = a.kernels.split(",") if a.kernels else list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        ap.error(f"unknown kernel(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    results = {
        "machine": machine_info(),
        "options": {"preset": a.preset, "repeat": a.repeat, "frameworks": frameworks, "npbench": str(npbench)},
        "kernels": {},
    }
    for i, name in enumerate(names, 1):
        sys.stderr.write(f"[{i}/{len(names)}] {name}\n")
        results["kernels"][name] = measure_kernel(npbench, name, known[name], frameworks, a.preset, a.repeat, a.timeout)
    results["summary"] = summarize(results, frameworks)
    out = a.out or HERE.parent / "bench-results" / "npbench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))
    body = table_md(results, frameworks) + "\n\n" + summary_md(results["summary"], frameworks)
    (out / "results.md").write_text(body + "\n")
    print(body)
    print(f"\nwritten: {out / 'results.json'}, {out / 'results.md'}")
    if a.docs:
        write_docs(results, body)
        print("written: docs/npbench.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
