"""Backup and restore: dump and load round-trip the whole store, named graphs included."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcm_kg.cli import main
from gcm_kg.store import open_store


def test_dump_then_load_round_trips(
    tmp_path: Path, nquads: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "a"
    with open_store(f"oxigraph:{source}") as store:
        store.replace_all(nquads)
    dump = tmp_path / "backup.nq"
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{source}")
    assert main(["dump", str(dump)]) == 0
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{tmp_path / 'b'}")
    assert main(["load", "--replace", str(dump)]) == 0
    with (
        open_store(f"oxigraph:{tmp_path / 'b'}") as restored,
        open_store(f"oxigraph:{source}") as original,
    ):
        assert sorted(restored.dump().splitlines()) == sorted(original.dump().splitlines())
        assert restored.named_graphs() == original.named_graphs()


def test_load_adds_a_turtle_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ttl = tmp_path / "x.ttl"
    ttl.write_text("<https://example.org/s> <https://example.org/p> 1 .\n")
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{tmp_path / 's'}")
    assert main(["load", str(ttl), "--graph", "https://example.org/g"]) == 0
    with open_store(f"oxigraph:{tmp_path / 's'}") as store:
        assert store.query("ASK { GRAPH <https://example.org/g> { ?s ?p 1 } }").boolean is True


def test_triples_need_a_graph(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ttl = tmp_path / "x.ttl"
    ttl.write_text("<https://example.org/s> <https://example.org/p> 1 .\n")
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{tmp_path / 's'}")
    assert main(["load", str(ttl)]) == 2
    assert "give --graph IRI" in capsys.readouterr().err


def test_load_of_an_unknown_format_exits_2(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "x.docx"
    f.write_text("no")
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{tmp_path / 's'}")
    assert main(["load", str(f)]) == 2
    assert "unknown RDF format" in capsys.readouterr().err
