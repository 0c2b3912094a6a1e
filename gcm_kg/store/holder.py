"""Who holds an embedded store: a ``<store>.holder`` file beside it, for a message that helps.

RocksDB lets one process open a store for writing; a second gets "IO error: While lock file
…/LOCK: Resource temporarily unavailable", which says neither who holds it nor what to do. The
process that opens the store writes its PID and command beside it; the next one to try names
them. The lock itself stays RocksDB's: the file only explains it, so a stale file (its process
gone) is ignored and replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path

from gcm_kg.errors import StoreError

#: the ways out, in the order a user would try them
WAYS_OUT = (
    "stop it, or use a store it does not hold (GCM_KG_STORE=sparql:URL for a shared server, "
    "see docs/deployment.md), or for a build write only the graph files (gcm-kg build --no-store)"
)


def holder_file(store: Path) -> Path:
    return store.with_name(store.name + ".holder")


def _command() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    sub = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
    return f"{name} {sub}".strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def read(store: Path) -> dict[str, object] | None:
    """The live holder of ``store`` other than this process, or None."""
    try:
        info = json.loads(holder_file(store).read_text(encoding="utf-8"))
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid == os.getpid() or not _alive(pid):
        return None
    return dict(info)


def busy(store: Path, cause: object = None) -> StoreError:
    """The error for a store another process holds: who, and the ways out."""
    info = read(store)
    if info is None:
        who = "another process (no holder file: perhaps a gcm-kg of an older version)"
    else:
        since = time.strftime("%H:%M:%S", time.localtime(float(str(info.get("since", 0)))))
        who = f"{info.get('command') or 'a process'} (PID {info['pid']}, since {since})"
    suffix = f" [{cause}]" if cause and info is None else ""
    return StoreError(f"the store {store} is in use by {who}; {WAYS_OUT}{suffix}")


def claim(store: Path) -> None:
    """Record this process as the holder (best effort: the lock is RocksDB's)."""
    info = {"pid": os.getpid(), "command": _command(), "since": time.time()}
    path = holder_file(store)
    with contextlib.suppress(OSError):
        tmp = path.with_name(path.name + f".{os.getpid()}")
        tmp.write_text(json.dumps(info) + "\n", encoding="utf-8")
        tmp.replace(path)


def release(store: Path) -> None:
    """Remove the holder file if it is this process's."""
    path = holder_file(store)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if int(json.loads(path.read_text(encoding="utf-8"))["pid"]) == os.getpid():
            path.unlink()


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return "LOCK" in text and ("unavailable" in text.lower() or "lock" in text.lower())
