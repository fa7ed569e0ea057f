"""Dask, on a real ``distributed.LocalCluster`` (three worker processes, one thread each) whose
workers share one ``STICKYJIT_CACHE_DIR`` (docs/scaling.md): after one worker compiled a
specialization, every other worker's first call of it is a cache hit (0 compiles, read from each
worker's ``stickyjit.stats()`` with ``client.run``), through ``client.submit``, ``client.map``,
``dask.delayed`` and ``dask.array.map_blocks``, for functions pickled by reference (an importable
module) and by value (a notebook-like cell); workers compiling the same new key at the same
instant all get the right answer and leave one valid entry, which a fresh process loads.

The cluster runs once for the module, in a child process (tests/dask_driver.py) of its own
session under a timeout: a hung cluster is killed with its workers and fails the test, never CI.
dask and distributed are test dependencies (Makefile): never skipped there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")  # a test dependency (Makefile); never skipped in CI

HERE = Path(__file__).resolve().parent

# The four specializations the driver's `run_everything` calls: harmonic(int64), wave(float64),
# smooth(float64 2-D C) and scale_rows(float64 2-D C).
SPECIALIZATIONS = 4
ROUNDS = 6  # the driver's stampede rounds, a new key each


def run_killable(args, env, timeout, cwd=None, stdin=None):
    """Runs `args` in a session of its own; on timeout kills the whole session (a cluster's
    worker processes included) and fails."""
    p = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = p.communicate(input=stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        pytest.fail(f"{args[1:]} did not finish in {timeout} s:\n{err.decode()[-4000:]}")
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # any worker left behind
        except ProcessLookupError:
            pass
    assert p.returncode == 0, err.decode()[-6000:]
    return out.decode()


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dask")
    shared = tmp / "shared-cache"  # the workers' (their environment names it)
    env = dict(os.environ)
    env.pop("STICKYJIT_CACHE", None)
    env["STICKYJIT_CACHE_DIR"] = str(tmp / "client-cache")  # the client's own: not the workers'
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    stdout = run_killable([sys.executable, str(HERE / "dask_driver.py"), str(shared), str(tmp)], env, timeout=300)
    out = json.loads(stdout.strip().splitlines()[-1])
    return out, shared, tmp, env


def test_every_answer_from_the_cluster_is_python_s(cluster_run):
    out, *_ = cluster_run
    wrong = [c for c in out["checks"] if not c[1]]
    assert not wrong, wrong
    kinds = {c[0].split(": ")[-1].split()[0] for c in out["checks"]}
    assert {"submit", "map", "delayed", "map_blocks", "stampede"} <= kinds, kinds
    # warm, two others and spread (each 2 + 12 + 1 + 2 answers), then a stampede of 3 per round.
    assert len(out["checks"]) == 4 * 17 + 3 * ROUNDS


def test_the_workers_use_the_cache_directory_their_environment_names(cluster_run):
    out, shared, _, _ = cluster_run
    dirs = [d for d, _ in out["environment"]]
    assert dirs == [str(shared)] * 3
    assert len({pid for _, pid in out["environment"]}) == 3  # three processes
    assert (shared / "integrity.key").exists()


def test_one_worker_compiles_and_every_other_worker_s_first_call_is_a_cache_hit(cluster_run):
    out, *_ = cluster_run
    first, *others = out["workers"]
    warm, after_others, spread = out["after_warm"], out["after_others"], out["after_spread"]
    assert warm[first]["compiles"] == SPECIALIZATIONS, warm
    assert warm[first]["cache_writes"] == SPECIALIZATIONS, warm
    for w in others:
        assert warm[w]["compiles"] == 0 and warm[w]["cache_hits"] == 0, warm  # ran nothing yet
        # Their first calls, through every API: loaded from what the first worker wrote.
        assert after_others[w]["compiles"] == 0, after_others
        assert after_others[w]["cache_hits"] == SPECIALIZATIONS, after_others
        assert after_others[w]["cache_misses"] == 0, after_others
    # The first worker did not compile again, and tasks spread over all of them compile nothing.
    assert after_others[first] == warm[first]
    assert spread == after_others


def test_workers_compiling_the_same_key_at_once_get_right_answers_and_one_valid_entry(cluster_run):
    out, shared, tmp, env = cluster_run
    compiled_at_once = []
    for r, calls in enumerate(out["stampede"]):
        # Each worker either compiled the new key or loaded what another had written meanwhile.
        for s in calls:
            assert s["compiles"] + s["cache_hits"] == 1, (r, calls)
        compiled_at_once.append(sum(s["compiles"] for s in calls))
    # The stampede was one: in some round several workers compiled the same key together.
    assert max(compiled_at_once) >= 2, compiled_at_once

    # The cache holds one whole entry per key, nothing half-written.
    entries = sorted(shared.rglob("*.sjo"))
    assert len(entries) == SPECIALIZATIONS + ROUNDS, entries
    assert not list(shared.rglob("*.tmp"))

    # A fresh process on the same directory loads every stampede function: no compile, no warning.
    check = (
        "import json, pickle, sys, warnings\n"
        "warnings.simplefilter('always')\n"
        "caught = []\n"
        "warnings.showwarning = lambda m, c, *a, **k: caught.append((c.__name__, str(m)))\n"
        "import stickyjit\n"
        "with open(sys.argv[1], 'rb') as fh:\n    blobs = pickle.load(fh)\n"
        "right = [f(*args) == expected for f, args, expected in blobs]\n"
        "statuses = [e['status'] for e in stickyjit._native.cache_entries()['entries']]\n"
        "print(json.dumps({'right': right, 'stats': stickyjit.stats(), 'warnings': caught, 'statuses': statuses}))\n"
    )
    fresh_env = dict(env, STICKYJIT_CACHE_DIR=str(shared))
    r = json.loads(
        run_killable([sys.executable, "-c", check, str(tmp / "stampede.pkl")], fresh_env, timeout=120).splitlines()[-1]
    )
    assert r["right"] == [True] * ROUNDS
    assert r["stats"]["compiles"] == 0 and r["stats"]["cache_hits"] == ROUNDS, r["stats"]
    assert r["warnings"] == []
    assert r["statuses"] == ["ok"] * (SPECIALIZATIONS + ROUNDS)
