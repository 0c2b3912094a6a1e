"""An append-only audit log of every write attempt, accepted or rejected (JSON Lines).

Each record is written and fsynced before the response to the write is sent.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from gcm_kg.errors import GcmKgError

_lock = threading.Lock()


def record(path: Path, **fields: object) -> dict[str, object]:
    entry: dict[str, object] = {"time": datetime.now(UTC).isoformat(timespec="milliseconds")}
    entry.update(fields)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    return entry


def read(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@contextmanager
def outcome(path: Path, action: str, curator: str | None, **fields: object) -> Iterator[dict]:  # type: ignore[type-arg]
    """Record the outcome of the block: ``accepted`` (or ``fields["outcome"]`` as the block set
    it) when it ends, ``rejected`` with the error's status and message when it raises one."""
    entry: dict[str, object] = dict(fields)
    try:
        yield entry
    except GcmKgError as exc:
        entry.pop("outcome", None)
        record(
            path,
            action=action,
            curator=curator,
            outcome="rejected",
            status=exc.status,
            reason=exc.detail,
            **entry,
        )
        raise
    outcome_ = entry.pop("outcome", "accepted")
    record(path, action=action, curator=curator, outcome=outcome_, **entry)
