"""An append-only audit log of every authenticated write attempt, accepted or rejected (JSON
Lines), and counters of the attempts nobody authenticated.

Each record is written and fsynced before the response to the write is sent. Its fields are
bounded (a string is cut at FIELD_CHARS characters, a list at FIELD_ITEMS items), so a request
cannot make its record large. Attempts without a valid token are not written (anyone can send
them, and each record costs an fsync): they are counted (``count``, ``counters``), and the
counters are served at ``/status``.
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
#: characters of a string field kept in a record, and items of a list field
FIELD_CHARS = 200
FIELD_ITEMS = 20

_counted: dict[str, int] = {}
_count_lock = threading.Lock()


def bounded(value: object) -> object:
    """``value`` cut to the record's bounds (strings, lists of strings, numbers, None)."""
    if isinstance(value, str):
        return value if len(value) <= FIELD_CHARS else value[:FIELD_CHARS] + "…[cut]"
    if isinstance(value, list | tuple):
        items = [bounded(v) for v in value[:FIELD_ITEMS]]
        return items + ([f"…[{len(value) - FIELD_ITEMS} more]"] if len(value) > FIELD_ITEMS else [])
    if value is None or isinstance(value, bool | int | float):
        return value
    return bounded(str(value))


def count(kind: str) -> None:
    """Count an attempt that is not written to the log (e.g. ``unauthenticated``)."""
    with _count_lock:
        _counted[kind] = _counted.get(kind, 0) + 1


def counters() -> dict[str, int]:
    """The counts since this process started."""
    with _count_lock:
        return dict(_counted)


def record(path: Path, **fields: object) -> dict[str, object]:
    entry: dict[str, object] = {"time": datetime.now(UTC).isoformat(timespec="milliseconds")}
    entry.update({k: bounded(v) for k, v in fields.items()})
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
