"""The gcm-kg command line: build, then query in table, CSV and JSON; errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gcm_kg.cli import main


@pytest.fixture(scope="module")
def store_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("cli")
    env = {"GCM_KG_STORE": f"oxigraph:{tmp / 'store'}", "GCM_KG_GRAPH_DIR": str(tmp / "graph")}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        assert main(["build"]) == 0
    return env


@pytest.fixture()
def cli(store_env: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for k, v in store_env.items():
        monkeypatch.setenv(k, v)
    return main


def test_build_writes_trig_and_nquads(store_env: dict[str, str]) -> None:
    graph = Path(store_env["GCM_KG_GRAPH_DIR"])
    assert (graph / "gcm-kg.trig").stat().st_size > 0
    assert (graph / "gcm-kg.nq").stat().st_size > 0


def test_named_query_as_table(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli(["query", "--name", "cq01-round-table-objectives", "--param", "roundTable=3"]) == 0
    out = capsys.readouterr().out
    assert "Promote faster, safer and cheaper transfer of remittances" in out
    assert out.rstrip().endswith("(6 rows)")


def test_sparql_as_csv(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    q = "PREFIX gcm: <https://w3id.org/gcm-kg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?p a gcm:DeclarationParagraph }"
    assert cli(["query", q, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "77"]


def test_ask_as_json(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    q = "ASK { <https://w3id.org/gcm-kg/id/objective/20> ?p ?o }"
    assert cli(["query", q, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": True}


def test_select_as_sparql_json(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    args = [
        "query",
        "--name",
        "cq03-principles-of-paragraph",
        "--param",
        "paragraph=3",
        "--format",
        "json",
    ]
    assert cli(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]["bindings"]) == 10
    assert data["results"]["bindings"][0]["name"] == {
        "type": "literal",
        "value": "People-centred",
        "xml:lang": "en",
    }


def test_list_named_queries(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli(["query", "--list"]) == 0
    assert "cq10-provenance  (resource:iri)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "SELEKT * WHERE {}"], "error:"),
        (["query", "--name", "nope"], "no named query 'nope'"),
        (
            ["query", "--name", "cq01-round-table-objectives", "--param", "roundTable=9"],
            "outside 1..4",
        ),
        (["query", "--name", "cq01-round-table-objectives", "--param", "roundTable"], "key=value"),
        (["query"], "give either a SPARQL query or --name"),
    ],
)
def test_errors_exit_2_with_a_message(cli, capsys, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    assert cli(args) == 2
    assert message in capsys.readouterr().err
