"""The dump thread behind the in-memory copies outlives the engine's errors (issue #14)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from gcm_kg.sparql.pool import Dumps

QUAD = ox.Quad(
    ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("o")
)


@pytest.fixture()
def checkpoint(tmp_path: Path) -> Path:
    store = ox.Store(str(tmp_path / "store"))
    store.add(QUAD)
    store.flush()
    store.backup(str(tmp_path / "checkpoint-1"))
    del store
    return tmp_path / "checkpoint-1"


@pytest.fixture()
def dumps() -> Iterator[Dumps]:
    d = Dumps(100, retry_base=0.01, retry_max=0.05)
    yield d
    d.close()


def failing_first(times: int, exc: Exception) -> tuple[list[int], object]:
    real = Dumps._dump
    calls: list[int] = []

    def fake(checkpoint: Path, part: Path) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise exc
        real(checkpoint, part)

    return calls, fake


def test_copies_resume_after_engine_errors(
    dumps: Dumps,
    checkpoint: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls, fake = failing_first(3, RuntimeError("IO error: wal_dir not found"))
    monkeypatch.setattr(Dumps, "_dump", staticmethod(fake))
    with caplog.at_level(logging.WARNING, logger="gcm_kg.sparql.pool"):
        dump = dumps.wait(checkpoint, timeout=30)
    assert dump is not None and dump.exists()
    parsed = list(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
    assert parsed == [QUAD]
    assert len(calls) == 4 and dumps.retries == 3
    warnings = [r for r in caplog.records if "wal_dir not found" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not once per retry


def test_any_exception_is_survived(
    dumps: Dumps, checkpoint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, fake = failing_first(2, KeyError("unexpected"))
    monkeypatch.setattr(Dumps, "_dump", staticmethod(fake))
    assert dumps.wait(checkpoint, timeout=30) is not None
    assert dumps.retries == 2


def test_a_removed_checkpoint_is_given_up_without_retrying(
    dumps: Dumps, checkpoint: Path, tmp_path: Path
) -> None:
    gone = tmp_path / "checkpoint-0"  # never existed: replaced by a newer version meanwhile
    assert dumps.wait(gone, timeout=30) is None
    assert dumps.retries == 0
    assert dumps.wait(checkpoint, timeout=30) is not None  # the thread goes on with the next


def test_a_dead_thread_is_replaced_on_the_next_request(dumps: Dumps, checkpoint: Path) -> None:
    dead = threading.Thread(target=lambda: None)
    dead.start()
    dead.join()
    dumps._thread = dead  # as if it had ended
    assert dumps.wait(checkpoint, timeout=30) is not None


def test_close_ends_a_backoff_at_once(checkpoint: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = Dumps(100, retry_base=60, retry_max=60)
    _, fake = failing_first(10, RuntimeError("busy"))
    monkeypatch.setattr(Dumps, "_dump", staticmethod(fake))
    assert d.wait(checkpoint, timeout=0.3) is None  # first try failed, thread now pausing 60 s
    thread = d._thread
    d.close()
    assert thread is not None
    thread.join(timeout=5)
    assert not thread.is_alive()
