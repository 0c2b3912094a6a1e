"""A store held by another process: one sentence naming the holder and the ways out (#14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gcm_kg import cli
from gcm_kg.errors import StoreError
from gcm_kg.store import holder
from gcm_kg.store.oxigraph import OxigraphStore

HOLD = """
import sys, time
from pathlib import Path
sys.argv = ["gcm-kg", "serve"]
from gcm_kg.store.oxigraph import OxigraphStore
s = OxigraphStore(Path(sys.stdin.readline().strip()))
print("held", flush=True)
sys.stdin.readline()
s.close()
"""


@pytest.fixture()
def held(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Another process holding ``tmp_path/store`` as ``gcm-kg serve`` would."""
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(f"{store}\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "held"
    yield store, proc.pid
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()


def test_the_holder_is_named_with_the_ways_out(held) -> None:  # type: ignore[no-untyped-def]
    store, pid = held
    with pytest.raises(StoreError) as err:
        OxigraphStore(store)
    text = err.value.detail
    assert f"PID {pid}" in text and "gcm-kg serve" in text
    assert "stop it" in text and "GCM_KG_STORE=sparql:URL" in text and "--no-store" in text
    assert "\n" not in text


def test_build_while_held_is_one_line_exit_2(held, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    store, pid = held
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{store}")
    monkeypatch.setenv("GCM_KG_GRAPH_DIR", str(store.parent / "graph"))
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"PID {pid}" in err and "Traceback" not in err


def test_reading_while_held_works(held) -> None:  # type: ignore[no-untyped-def]
    store, _ = held
    reader = OxigraphStore(store, read_only=True)  # query, dump, validate read alongside
    assert reader.count() == 0
    reader.close()


def test_the_holder_file_goes_with_the_holder(tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "store")
    info = holder.holder_file(tmp_path / "store")
    assert info.is_file() and str(os.getpid()) in info.read_text(encoding="utf-8")
    s.close()
    assert not info.exists()


def test_a_stale_holder_file_is_ignored(tmp_path: Path) -> None:
    store = tmp_path / "store"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    holder.holder_file(store).write_text(
        f'{{"pid": {dead.stdout.strip()}, "command": "gcm-kg serve", "since": 0}}\n',
        encoding="utf-8",
    )
    assert holder.read(store) is None
    OxigraphStore(store).close()  # opened, and the file is now this process's, then removed
    assert not holder.holder_file(store).exists()


def test_an_unwritable_store_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{blocker / 'store'}")
    assert cli.main(["load", str(Path(__file__).parents[1] / "data" / "linked-pledges.trig")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gcm-kg: error: cannot create the store at") and err.count("\n") == 1


def test_build_no_store_while_held_writes_the_graph_files(held, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    store, _ = held
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{store}")
    monkeypatch.setenv("GCM_KG_GRAPH_DIR", str(store.parent / "graph"))
    assert cli.main(["build", "--no-store"]) == 0, capsys.readouterr().err
    assert (store.parent / "graph" / "gcm-kg.nq").stat().st_size > 0
