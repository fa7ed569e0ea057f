"""benches/npbench.py (NPBench mode of the harness) on a fake NPBench checkout made here: one
benchmark laid out as NPBench lays them out (bench_info json, init module, NumPy reference,
`_numba_n.py` kernel written for Numba), run for stickyjit only, in child processes."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

BENCHES = Path(__file__).resolve().parent.parent / "benches"
sys.path.insert(0, str(BENCHES))

import npbench  # noqa: E402

INIT = """
import numpy as np


def initialize(N):
    return np.linspace(0.0, 1.0, N)
"""

NUMPY_REF = """
import numpy as np


def kernel(a):
    a[:] = 2.0 * a + 1.0
    return np.sum(a)
"""

NUMBA_KERNEL = """
import numpy as np
import numba as nb


@nb.jit(nopython=True, fastmath=True)
def kernel(a):
    s = 0.0
    for i in range(a.shape[0]):
        a[i] = 2.0 * a[i] + 1.0
        s += a[i]
    return s
"""

# Forgets the `+ 1.0`: runs, and must not validate.
WRONG_KERNEL = NUMBA_KERNEL.replace(" + 1.0", "")


def fake_benchmark(root: Path, name: str, numba_source: str, init: str = INIT) -> None:
    info = {
        "benchmark": {
            "name": name,
            "short_name": name,
            "relative_path": f"fake/{name}",
            "module_name": name,
            "func_name": "kernel",
            "parameters": {"S": {"N": 1000}},
            "init": {"func_name": "initialize", "input_args": ["N"], "output_args": ["a"]},
            "input_args": ["a"],
            "array_args": ["a"],
            "output_args": ["a"],
        }
    }
    (root / "bench_info").mkdir(parents=True, exist_ok=True)
    (root / "bench_info" / f"{name}.json").write_text(json.dumps(info))
    kdir = root / "npbench" / "benchmarks" / "fake" / name
    kdir.mkdir(parents=True)
    (kdir / f"{name}.py").write_text(textwrap.dedent(init))
    (kdir / f"{name}_numpy.py").write_text(textwrap.dedent(NUMPY_REF))
    (kdir / f"{name}_numba_n.py").write_text(textwrap.dedent(numba_source))


def test_fake_npbench_kernel_validates_under_stickyjit(tmp_path):
    root = tmp_path / "npbench"
    fake_benchmark(root, "twice", NUMBA_KERNEL)
    fake_benchmark(root, "wrong", WRONG_KERNEL)
    out = tmp_path / "out"
    cmd = [sys.executable, str(BENCHES / "npbench.py"), "--npbench", str(root), "--kernels", "twice,wrong"]
    cmd += ["--repeat", "2", "--frameworks", "stickyjit", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((out / "results.json").read_text())
    twice = results["kernels"]["twice"]
    assert twice["numpy"]["runs"]
    sj = twice["stickyjit"]
    assert sj["runs"] and sj["validates"], sj
    assert sj["first"] > 0 and sj["steady"] > 0 and len(sj["times"]) == 2
    wrong = results["kernels"]["wrong"]["stickyjit"]
    assert wrong["runs"] and not wrong["validates"]
    summary = results["summary"]
    assert summary["stickyjit"] == {"runs": 2, "validates": 1}
    assert summary["stickyjit_reasons"] == {"wrong answer": {"kernels": 1, "details": {}}}


def test_a_crash_or_a_hang_stops_one_kernel_only(tmp_path):
    root = tmp_path / "npbench"
    crash = "import os\nimport signal\n\n\ndef initialize(N):\n    os.kill(os.getpid(), signal.SIGSEGV)\n"
    hang = "import time\n\n\ndef initialize(N):\n    time.sleep(60)\n"
    fake_benchmark(root, "crash", NUMBA_KERNEL, crash)
    fake_benchmark(root, "hang", NUMBA_KERNEL, hang)
    fake_benchmark(root, "twice", NUMBA_KERNEL)
    out = tmp_path / "out"
    cmd = [sys.executable, str(BENCHES / "npbench.py"), "--npbench", str(root), "--kernels", "crash,hang,twice"]
    cmd += ["--repeat", "1", "--frameworks", "stickyjit", "--timeout", "3", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    kernels = json.loads((out / "results.json").read_text())["kernels"]
    assert kernels["crash"]["numpy"] == {"runs": False, "error_type": "Crash", "error": "killed by SIGSEGV"}
    assert kernels["hang"]["numpy"]["error_type"] == "Timeout"
    for name in ("crash", "hang"):
        assert kernels[name]["stickyjit"]["error_type"] == "NoInputs"
    assert kernels["twice"]["stickyjit"]["validates"]


def test_swap_imports_keeps_lines_and_only_swaps_numba():
    src = "import numpy as np\nimport numba as nb\n\nimport numba\nfrom numba import njit, prange\nx = 'import numba'\n"
    swapped = npbench.swap_imports(src)
    assert swapped.splitlines() == [
        "import numpy as np",
        "import stickyjit as nb",
        "",
        "import stickyjit as numba",
        "from stickyjit import njit, prange",
        "x = 'import numba'",
    ]


def test_validate_follows_npbench_rule():
    import numpy as np

    ref = [np.ones(100)]
    assert npbench.validate(ref, [np.ones(100) * (1 + 1e-7)], {})[0]
    # Not allclose element-wise, but within the relative error NPBench accepts.
    near = np.ones(100)
    near[0] = 1.0 + 1e-4
    assert npbench.validate(ref, [near], {})[0]
    assert not npbench.validate(ref, [np.ones(100) * 1.01], {})[0]
    assert npbench.validate(ref, [np.ones(100) * 1.01], {"norm_error": 0.1})[0]
    assert not npbench.validate(ref, [np.ones(99)], {})[0]
    assert not npbench.validate(ref, [], {})[0]
    # Paired in order, the longer list cut, as NPBench does: a reference that returns the array
    # it also writes (NPBench's adi) against a kernel that only writes it.
    assert npbench.validate([np.ones(3), np.ones(3)], [np.ones(3)], {})[0]


def test_failure_reason_names_the_construct():
    def failed(error_type, error):
        return {"runs": False, "error_type": error_type, "error": error}

    e = "k.py:8:11: unsupported construct: matrix multiplication operator '@'"
    assert npbench.failure_reason(failed("CompileError", e)) == ("matrix multiplication operator '@'", "")
    e = "k.py:9:29: binary operator: unsupported operand types for +: array(float64, 1d, C) and float64"
    assert npbench.failure_reason(failed("CompileError", e)) == (
        "array expression (operator on arrays)",
        "+ on array and scalar",
    )
    e = "k.py:3:1: unsupported construct: call to a function that is not jitted ('np.dot' is a ufunc; ...)"
    assert npbench.failure_reason(failed("CompileError", e)) == ("call to a NumPy function not compiled yet", "np.dot")
    assert npbench.failure_reason(failed("Timeout", "no answer in 300 s")) == ("Timeout", "no answer in 300 s")
