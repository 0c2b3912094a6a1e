"""Errors that help (#14): the token a parser stopped at and the keyword meant, where updates
go, a named-query resource that names nothing, a folder to validate, plain --help."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from gcm_kg import cli
from gcm_kg.errors import QuerySyntaxError
from gcm_kg.sparql import guard
from gcm_kg.store import hints
from gcm_kg.store.oxigraph import OxigraphStore

SHAPES = Path(__file__).parents[1] / "data" / "shapes"


@pytest.mark.parametrize(
    ("query", "said", "meant"),
    [
        ("SELEC ?s WHERE { ?s ?p ?o }", "unexpected 'SELEC'", "SELECT"),
        ("SELECT ?s WHER { ?s ?p ?o }", "unexpected 'WHER'", "WHERE"),
        ("SELECT ?s WHERE {\n  ?s ?p ?o FILTR(?s) }", "unexpected 'FILTR'", "FILTER"),
        ("CONSTRUC { ?s ?p ?o } WHERE { ?s ?p ?o }", "unexpected 'CONSTRUC'", "CONSTRUCT"),
        ("ASK { ?s ?p ?o } LIMT 2", "unexpected 'LIMT'", "LIMIT"),
    ],
)
def test_a_typo_is_named_with_the_keyword_meant(query: str, said: str, meant: str) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        guard.inspect(query)
    assert said in err.value.detail and f"did you mean {meant}?" in err.value.detail
    # the embedded engine (the command line's path) says the same in its own position
    with pytest.raises(QuerySyntaxError) as ox_err:
        OxigraphStore().query(query)
    assert (
        f"did you mean {meant}?" in ox_err.value.detail and said.split()[1] in ox_err.value.detail
    )


def test_words_in_strings_iris_and_variables_are_not_taken_for_typos() -> None:
    text = 'SELECT ?selec WHERE { ?selec <http://x/WHER> "FILTR" . ?s ?p }'
    with pytest.raises(QuerySyntaxError) as err:
        guard.inspect(text)
    assert "did you mean" not in err.value.detail
    assert "unexpected '?s'" in err.value.detail  # the triple lacks its object


def test_an_unfinished_query_says_so() -> None:
    assert hints.hint("SELECT * WHERE { ?s ?p ?o", 25) == "unexpected end of the query"


def test_the_sparql_endpoint_names_the_typo(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": "SELEC * WHERE { ?s ?p ?o }"})
    assert resp.status_code == 400
    assert "did you mean SELECT?" in resp.get_json()["detail"]


def test_an_update_sent_as_a_query_says_where_updates_go(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(
        "/sparql", query_string={"query": "INSERT DATA { <http://x/a> <http://x/b> 1 }"}
    )
    assert resp.status_code == 403
    assert "updates go to /update" in resp.get_json()["detail"]


def test_an_unknown_actor_is_404_with_the_accepted_forms(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(
        "/queries/cq07-actor-pledges",
        query_string={"actor": "no-such-actor"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 404
    detail = resp.get_json()["detail"]
    assert "names nothing in the graph" in detail and "ISO 3166 alpha-3" in detail
    known = client.get(
        "/queries/cq07-actor-pledges",
        query_string={"actor": "iom"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert known.status_code == 200


def test_an_unknown_iri_is_404(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(
        "/queries/cq10-provenance",
        query_string={"resource": "https://w3id.org/gcm-kg/id/figure/nothing-like-this"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 404 and "IRI of a resource" in resp.get_json()["detail"]


def test_the_cli_exits_2_for_an_unknown_actor(
    nquads: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_all(nquads)
    store.close()
    monkeypatch.setenv("GCM_KG_STORE", f"oxigraph:{tmp_path / 'store'}")
    code = cli.main(["query", "--name", "cq07-actor-pledges", "--param", "actor=atlantis"])
    err = capsys.readouterr().err
    assert code == 2 and "names nothing in the graph" in err and err.count("\n") == 1
    assert cli.main(["query", "--name", "cq07-actor-pledges", "--param", "actor=iom"]) == 0


def test_validate_a_folder_takes_its_rdf_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not RDF", encoding="utf-8")
    (tmp_path / "a.ttl").write_text(
        "@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .\n", encoding="utf-8"
    )
    code = cli.main(["validate", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "a.ttl" in out.out or "conforms" in out.out.lower()


def test_validate_a_folder_without_rdf_says_it_wants_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not RDF", encoding="utf-8")
    assert cli.main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder without RDF files" in err and "give RDF files" in err


@pytest.mark.parametrize(
    "command",
    [[], ["build"], ["query"], ["serve"], ["validate"], ["check"], ["token"], ["import-pledges"]],
)
def test_help_has_no_restructuredtext_markup(command: list[str]) -> None:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    text = out.getvalue()
    assert "usage: gcm-kg" in text
    for markup in ("``", ":class:", ":func:", "\n.. ", "**"):
        assert markup not in text, (markup, text)


def test_a_position_inside_a_word_names_the_whole_word() -> None:
    # Oxigraph may point into the middle of the word it stopped at
    assert hints.hint("SELEC * WHERE { ?s ?p ?o }", 9, exact=False).startswith("near 'WHERE'")
