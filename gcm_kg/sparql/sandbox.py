"""No network for the code that runs queries and updates: a seccomp filter on ``socket()``.

The guard refuses SERVICE and LOAD, but a guard is a reading of the text and the engine is
another; a second reading once differed (``gcm_kg.sparql.escapes``). So the processes and threads
that run users' queries also cannot open an Internet socket at all: a seccomp-BPF filter makes
``socket(AF_INET | AF_INET6, …)`` fail with EACCES (and ``io_uring_setup``, which could create
one behind the filter's back). Unix sockets (the worker's pipe to its parent) still work.

Linux only, x86-64 and AArch64, no dependency: the filter is a dozen BPF instructions installed
with ``prctl``/``seccomp`` through ctypes. A filter cannot be removed, which is the point: it
is installed in worker processes for their whole life, and in the threads of ``Lane`` that run
in-process queries; never in the web server's own threads, which must keep their sockets.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import platform
import socket
import struct
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

#: (AUDIT_ARCH, socket, io_uring_setup, seccomp) per machine
_ARCH = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}
_LD_W_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1
_X32 = 0x40000000  # x32 ABI system calls: refused as a whole


class SandboxError(OSError):
    """The filter could not be installed (not Linux, an unknown machine, seccomp disabled)."""


class _Filter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _program() -> list[tuple[int, int, int, int]]:
    machine = platform.machine()
    if machine not in _ARCH:
        raise SandboxError(errno.ENOSYS, f"no network filter for {machine}")
    arch, nr_socket, nr_uring, _ = _ARCH[machine]
    deny = _ERRNO | errno.EACCES
    return [
        (_LD_W_ABS, 0, 0, 4),  # 0: A = seccomp_data.arch
        (_JEQ, 1, 0, arch),  # 1: our architecture: go on; another ABI: refuse
        (_RET, 0, 0, deny),  # 2
        (_LD_W_ABS, 0, 0, 0),  # 3: A = seccomp_data.nr
        (_JGE, 6, 0, _X32),  # 4: x32 numbers -> refuse (11)
        (_JEQ, 5, 0, nr_uring),  # 5: io_uring_setup -> refuse (11)
        (_JEQ, 0, 3, nr_socket),  # 6: socket -> 7, anything else -> allow (10)
        (_LD_W_ABS, 0, 0, 16),  # 7: A = low word of args[0], the address family
        (_JEQ, 2, 0, socket.AF_INET),  # 8: -> refuse (11)
        (_JEQ, 1, 0, socket.AF_INET6),  # 9: -> refuse (11)
        (_RET, 0, 0, _ALLOW),  # 10
        (_RET, 0, 0, deny),  # 11
    ]


def forbid_network(*, all_threads: bool) -> None:
    """Install the filter in this thread, or in every thread of the process (``all_threads``);
    threads started afterwards inherit it. Raises SandboxError if it cannot be installed."""
    if struct.calcsize("P") != 8 or os.name != "posix":
        raise SandboxError(errno.ENOSYS, "the network filter needs 64-bit Linux")
    steps = _program()
    table = (_Filter * len(steps))(*[_Filter(*s) for s in steps])
    prog = _Program(len(steps), table)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if all_threads:
        nr_seccomp = _ARCH[platform.machine()][3]
        done = libc.syscall(
            nr_seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog)
        )
    else:
        done = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0)
    if done != 0:
        raise SandboxError(ctypes.get_errno(), "installing the seccomp filter failed")


def _in_lane(fn: Callable[..., T], *args: object) -> T:
    """``fn``, its errors stripped of their frames here: the engine's objects those frames hold
    (pyoxigraph's result iterators may not leave their thread) die on this thread."""
    try:
        return fn(*args)
    except BaseException as exc:
        seen: set[int] = set()
        err: BaseException | None = exc
        while err is not None and id(err) not in seen:
            seen.add(id(err))
            traceback.clear_frames(err.__traceback__)  # type: ignore[arg-type]
            err.__traceback__ = None
            err = err.__cause__ or err.__context__
        raise exc from exc.__cause__


def _seal() -> None:
    """Thread initializer of ``Lane``: the filter on this thread only."""
    try:
        forbid_network(all_threads=False)
    except SandboxError as exc:  # not Linux, or seccomp disabled: the guard alone protects
        logging.getLogger(__name__).warning("query threads run without a network filter: %s", exc)


class Lane:
    """Threads that cannot open Internet sockets, for queries run in the server's own process
    (an in-memory store, or no worker processes): the web threads keep their sockets, and a
    query is handed to one of these and waited for."""

    def __init__(self, size: int) -> None:
        self._pool = ThreadPoolExecutor(
            max(1, size), thread_name_prefix="gcm-kg-query", initializer=_seal
        )

    def run(self, fn: Callable[..., T], *args: object) -> T:
        return self._pool.submit(_in_lane, fn, *args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
