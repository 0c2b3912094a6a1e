"""``gcm-kg validate``: exit 0 conforms, 1 violations, 2 unreadable input; nothing is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from gcm_kg.cli import main

SHAPES_DIR = Path(__file__).parents[1] / "data" / "shapes"
VALID_PLEDGE = SHAPES_DIR / "valid" / "pledge.ttl"
BROKEN = SHAPES_DIR / "Pledge-actor-class.ttl"
ADVICE = SHAPES_DIR / "Pledge-objective.ttl"
PLEDGE = "https://w3id.org/gcm-kg/id/pledge/test-pledge"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, nquads: bytes) -> Path:
    """An on-disk Oxigraph store holding the built graph, as `gcm-kg build` leaves it."""
    path = tmp_path_factory.mktemp("validate") / "store"
    store = ox.Store(str(path))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return path


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, built, store_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GCM_KG_GRAPH_DIR", str(Path(built.nquads).parent))
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{store_dir}")
    return store_dir


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_shipped_graph_exits_0(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys)
    assert code == 0
    assert "0 violations" in out and "Conforms." in out


def test_violation_exits_1_with_the_message_under_its_resource(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(BROKEN))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == PLEDGE
    assert "Violation" in lines[1] and "gcm:pledgedBy" in lines[1] and "objective/3" in lines[1]
    assert "gcm:pledgedBy must point at an actor" in lines[2]


def test_warnings_alone_exit_0_and_are_printed(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(ADVICE))
    assert code == 0
    assert "Warning" in out and "Advice: say which objective(s)" in out


def test_truncated_turtle_exits_2_naming_line_and_column(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = VALID_PLEDGE.read_text()
    bad = tmp_path / "truncated.ttl"
    bad.write_text(text[: text.index('"in progress"') + 5])
    code, out, err = _run(capsys, str(bad))
    line = text[: text.index('"in progress"')].count("\n") + 1
    assert code == 2 and out == ""
    assert f"{bad}:{line}:" in err


@pytest.mark.parametrize("fmt", ["trig", "nt", "nq", "jsonld", "rdf"])
def test_each_rdf_syntax_is_read_by_extension(
    fmt: str, env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from gcm_kg import formats

    target = formats.lookup(fmt)
    assert target is not None
    triples = ox.parse(VALID_PLEDGE.read_bytes(), format=ox.RdfFormat.TURTLE)
    path = tmp_path / f"pledge.{fmt}"
    ox.serialize(triples, str(path), format=getattr(ox.RdfFormat, str(target.oxigraph)))
    code, out, _ = _run(capsys, str(path))
    assert code == 0, out
    assert "0 violations, 0 warnings" in out


def test_format_option_overrides_the_extension(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "pledge.txt"
    path.write_bytes(BROKEN.read_bytes())
    assert _run(capsys, str(path), "--format", "turtle")[0] == 1


def test_unknown_extension_exits_2(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "pledge.txt"
    path.write_bytes(BROKEN.read_bytes())
    code, _, err = _run(capsys, str(path))
    assert code == 2 and "unknown RDF format" in err


def test_rdfxml_with_doctype_is_refused(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "entity.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    code, _, err = _run(capsys, str(path))
    assert code == 2 and "DOCTYPE" in err


def test_remote_jsonld_context_is_refused(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "@id": PLEDGE, "name": "x"}))
    code, _, err = _run(capsys, str(path))
    assert code == 2 and "remote.jsonld" in err


def test_json_output_groups_results_by_focus_node(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(BROKEN), "--output", "json")
    doc = json.loads(out)
    assert code == 1 and doc["conforms"] is False and doc["violations"] == 1
    [group] = doc["focusNodes"]
    assert group["focusNode"] == PLEDGE
    assert group["results"][0]["path"] == "gcm:pledgedBy"
    assert group["results"][0]["value"] == "https://w3id.org/gcm-kg/id/objective/3"


def test_turtle_output_is_a_shacl_validation_report(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(BROKEN), "--output", "turtle")
    g = Graph().parse(data=out, format="turtle")
    [report] = list(g.subjects(RDF.type, SH.ValidationReport))
    assert code == 1
    assert g.value(report, SH.conforms).toPython() is False
    assert len(list(g.objects(report, SH.result))) == 1


def _snapshot(*dirs: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in files:
                st = (Path(root) / name).stat()
                out[str(Path(root) / name)] = (st.st_size, st.st_mtime_ns)
    return out


def test_validate_writes_nothing(
    env: Path,
    built,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    watched = (env, Path(built.nquads).parent, SHAPES_DIR, tmp_path)
    before = _snapshot(*watched)
    assert _run(capsys, str(BROKEN))[0] == 1
    assert _run(capsys)[0] == 0
    assert _snapshot(*watched) == before


def test_without_a_store_the_built_graph_is_the_context(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{tmp_path / 'none'}")
    code, out, err = _run(capsys, str(BROKEN))
    assert code == 1 and "gcm:pledgedBy must point at an actor" in out
    assert "gcm-kg.nq" in err
    assert not (tmp_path / "none").exists()


def test_files_and_graph_together_are_refused(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, str(BROKEN), "--graph")[0] == 2


@pytest.fixture(scope="module")
def ontology_store_dir(tmp_path_factory: pytest.TempPathFactory, nquads: bytes) -> Path:
    """An on-disk store holding only the ontology graph (context of standalone fixtures)."""
    path = tmp_path_factory.mktemp("validate") / "ontology-store"
    store = ox.Store(str(path))
    ontology = b"".join(
        line + b"\n"
        for line in nquads.splitlines()
        if line.endswith(b"<https://w3id.org/gcm-kg/id/graph/ontology> .")
    )
    store.bulk_load(ontology, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return path


FIXTURES = sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_negative_fixture_exits_1_with_its_message(
    path: Path,
    env: Path,
    ontology_store_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Advice fixtures exit 0 with the warning printed; all others exit 1."""
    head = dict(line[2:].split(": ", 1) for line in path.read_text().splitlines()[:3])
    store = env if head["context"] == "shipped" else ontology_store_dir
    code, out, _ = _run(capsys, str(path), "--store", f"oxigraph:{store}")
    assert code == (0 if head["expect"].startswith("Advice:") else 1)
    assert head["expect"] in out
