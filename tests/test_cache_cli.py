"""The cache's command line and its warnings (issue 14, C): clean errors and exit statuses instead
of tracebacks, failures reported instead of a false success, one warning where one is enough.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys

import pytest
from test_cache import entries, run
from test_cache_trust import ROOT, cli, many

import stickyjit


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr, r.stderr


def unprivileged(cmd: list[str]) -> list[str]:
    """`cmd` run without root's power to write into read-only directories (as any user is)."""
    if not ROOT:
        return cmd
    if shutil.which("setpriv") is None:
        pytest.skip("running as root, and no setpriv to drop CAP_DAC_OVERRIDE")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]


def test_prune_rejects_a_negative_size(tmp_path):
    r = cli(tmp_path / "cache", "prune", "--size", "-5")
    assert r.returncode == 2 and "cannot be negative" in r.stderr, r
    no_traceback(r)


UNSAFE = ["group-writable", "foreign-owned"]


@pytest.mark.parametrize("how", UNSAFE)
@pytest.mark.parametrize("command", ["info", "list", "clear", "prune"])
def test_every_command_on_an_unsafe_directory_is_a_clear_error(tmp_path, command, how):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    if how == "group-writable":
        cache.chmod(0o770)
        expected = "writable by others"
    else:
        if not ROOT:
            pytest.skip("only root can give a directory to another user")
        os.chown(cache, 4242, -1)
        expected = "uid 4242"
    r = cli(cache, command)
    assert r.returncode == 1 and expected in r.stderr and str(cache) in r.stderr, r
    no_traceback(r)
    assert len(entries(cache)) == 1


@pytest.mark.parametrize("command", [["clear"], ["prune", "--size", "0"]])
def test_clear_and_prune_report_what_they_could_not_remove(tmp_path, command):
    cache = tmp_path / "cache"
    many(tmp_path, cache, 0, 3)
    shards = {p.parent for p in entries(cache)}
    for shard in shards:
        shard.chmod(0o500)
    try:
        env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
        r = subprocess.run(
            unprivileged([sys.executable, "-m", "stickyjit", "cache", *command]),
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        for shard in shards:
            shard.chmod(0o700)
    assert r.returncode == 1, r
    assert "could not remove 3 files" in r.stderr and "Permission denied" in r.stderr, r.stderr
    assert "removed 0 entries" in r.stdout
    no_traceback(r)
    assert len(entries(cache)) == 3


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    env = dict(os.environ, STICKYJIT_CACHE_DIR=str(cache))
    # `python -m stickyjit cache list | head -1`, with the reader gone before the first write.
    p = subprocess.Popen(
        [sys.executable, "-m", "stickyjit", "cache", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 141 and err == "", err


def test_a_bad_cache_size_is_one_warning_then_the_default(tmp_path):
    cache = tmp_path / "cache"
    bad = {"STICKYJIT_CACHE_SIZE": "lots"}
    # 70 writes: the cap is read after the 1st and the 65th.
    r = many(tmp_path, cache, 0, 70, env_extra=bad)
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]
    assert "STICKYJIT_CACHE_SIZE" in r["warnings"][0][1] and "lots" in r["warnings"][0][1]
    assert len(entries(cache)) == 70  # the default cap, 1 GiB, kept them all
    for command in (["info"], ["prune"]):
        out = cli(cache, *command, env_extra=bad)
        assert out.returncode == 0, out
        assert "STICKYJIT_CACHE_SIZE" in out.stderr and "lots" in out.stderr and "1 GiB" in out.stderr, out.stderr
        no_traceback(out)
    assert "of a 1.0 GiB cap" in cli(cache, "info", env_extra=bad).stdout
    assert len(entries(cache)) == 70


def test_damaged_entries_are_listed_as_damaged(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    (entry,) = entries(cache)
    entry.write_bytes(entry.read_bytes()[:100])
    listing = cli(cache, "list")
    assert listing.returncode == 0, listing
    (row,) = listing.stdout.splitlines()[1:]
    assert row.startswith("damaged") and "truncated" in row and str(entry) in row and "?" not in row, row
    info = cli(cache, "info").stdout
    assert "entries:   1 (1 damaged)" in info, info


def test_version():
    r = subprocess.run([sys.executable, "-m", "stickyjit", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r
    assert r.stdout.startswith(f"stickyjit {stickyjit.__version__} (LLVM 22."), r.stdout


def test_info_shows_only_what_is_true_of_the_directory(tmp_path):
    cache = tmp_path / "cache"
    run(tmp_path, cache)
    run(tmp_path, cache)  # a hit: the CLI process itself has none
    info = cli(cache, "info").stdout
    assert "hits" not in info and "this process" not in info, info
    assert "entries:   1 (1 usable)" in info and f"integrity key: {cache / 'integrity.key'}" in info, info


def limit_file_size():
    # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG, as on a full disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_failing_disk_is_one_warning_not_one_per_compile(tmp_path):
    cache = tmp_path / "cache"
    # Every entry is larger than 1 KiB; the marker and the key are smaller, so the directory is
    # set up and every entry write fails, as on a disk that filled up.
    r = many(tmp_path, cache, 0, 5, preexec_fn=limit_file_size)
    assert r["stats"]["compiles"] == 5 and r["stats"]["cache_writes"] == 0
    assert [w[0] for w in r["warnings"]] == ["CacheWarning"], r["warnings"]
    assert "could not write" in r["warnings"][0][1] and "further write failures" in r["warnings"][0][1]
    assert entries(cache) == [] and not list(cache.rglob("*.tmp"))
    assert (cache / "integrity.key").stat().st_size == 32
