"""Runs a Python script as if on a file system without renames, hard links or file locks (some
FUSE, object-store and network file systems): a seccomp filter, installed in this process
before the script runs, makes those system calls fail with a chosen errno. The real extension
runs unchanged (no LD_PRELOAD, no patching): the kernel refuses the calls.

    python fs_sandbox.py rename,link,lock EPERM script.py [args...]

Before running the script it checks that the refusals are in force (os.rename, os.link,
fcntl.flock fail with the errno). Linux on x86-64 or aarch64 only (``supported()``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import runpy
import struct
import sys
import tempfile

# System call numbers: rename, renameat, renameat2 / link, linkat / flock, fcntl.
_SYSCALLS = {
    "x86_64": {"rename": [82, 264, 316], "link": [86, 265], "flock": 73, "fcntl": 72, "arch": 0xC000003E},
    "aarch64": {"rename": [38, 276], "link": [37], "flock": 32, "fcntl": 25, "arch": 0xC00000B7},
}
# fcntl commands that take or test a lock: F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK/SETLK/SETLKW.
_LOCK_COMMANDS = [5, 6, 7, 36, 37, 38]

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
# struct seccomp_data: nr (u32) at 0, arch (u32) at 4, ip at 8, args[6] (u64) from 16; the low
# half of args[1] (little-endian) is at 24.
_NR, _ARCH, _ARG1 = 0, 4, 24


def supported() -> bool:
    return sys.platform == "linux" and platform.machine() in _SYSCALLS


def _program(denied: set[str], err: int) -> list[bytes]:
    table = _SYSCALLS[platform.machine()]
    nrs = [nr for what in ("rename", "link") if what in denied for nr in table[what]]
    locks = "lock" in denied
    if locks:
        nrs.append(table["flock"])
    # Instructions, with jumps to the labels "allow" and "deny" resolved below.
    code: list[tuple] = [("ld", _ARCH), ("jeq", table["arch"], None, "allow"), ("ld", _NR)]
    code += [("jeq", nr, "deny", None) for nr in nrs]
    if locks:
        code += [("jeq", table["fcntl"], None, "allow"), ("ld", _ARG1)]
        code += [("jeq", cmd, "deny", None) for cmd in _LOCK_COMMANDS]
    code += [("allow",), ("deny",)]
    labels = {"allow": len(code) - 2, "deny": len(code) - 1}
    out = []
    for i, ins in enumerate(code):
        if ins[0] == "ld":
            out.append(struct.pack("HBBI", _LD_W_ABS, 0, 0, ins[1]))
        elif ins[0] == "jeq":
            jt, jf = (0 if t is None else labels[t] - i - 1 for t in ins[2:])
            out.append(struct.pack("HBBI", _JEQ_K, jt, jf, ins[1]))
        elif ins[0] == "allow":
            out.append(struct.pack("HBBI", _RET_K, 0, 0, _RET_ALLOW))
        else:
            out.append(struct.pack("HBBI", _RET_K, 0, 0, _RET_ERRNO | err))
    return out


def deny(denied: set[str], err: int) -> None:
    """Makes this process's (and its threads' and children's) renames, hard links and/or file
    locks fail with `err` from now on."""

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = _program(denied, err)
    buf = ctypes.create_string_buffer(b"".join(program))
    fprog = SockFprog(len(program), ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def _self_check(denied: set[str], err: int) -> None:
    import fcntl

    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, "a"), os.path.join(d, "b")
        open(a, "w").close()
        probes = {"rename": lambda: os.rename(a, b), "link": lambda: os.link(a, b)}
        with open(a) as f:
            probes["lock"] = lambda: fcntl.flock(f, fcntl.LOCK_EX)
            probes["fcntl lock"] = lambda: fcntl.lockf(f, fcntl.LOCK_SH)
            for what, probe in probes.items():
                try:
                    probe()
                    refused = None
                except OSError as e:
                    refused = e.errno
                if what.split()[-1] in denied:
                    assert refused == err, f"{what} was not refused with {errno.errorcode[err]} ({refused})"
                else:
                    assert refused is None, f"{what} failed: {refused}"
                    if what == "rename":
                        os.rename(b, a)
                    elif what == "link":
                        os.unlink(b)


if __name__ == "__main__":
    what, err_name, script, *rest = sys.argv[1:]
    denied = set(what.split(","))
    err = getattr(errno, err_name)
    deny(denied, err)
    _self_check(denied, err)
    sys.argv = [script, *rest]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")
