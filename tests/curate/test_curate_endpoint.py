"""POST /curate and DELETE /curate/{id}: validated, authenticated, atomic, traceable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gcm_kg import iris
from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.writes import audit
from tests.curate.helpers import DATA, Curators, pledge_ttl, snapshot

ROOT = Path(__file__).resolve().parents[2]
PLEDGE = iris.pledge("fixture-remittances")
TYPES = {
    "pledge.ttl": "text/turtle",
    "pledge.nt": "application/n-triples",
    "pledge.jsonld": "application/ld+json",
    "pledge.trig": "application/trig; charset=utf-8",
}


def post(client, curators: Curators, name: str, query: str = "", **headers: str):  # type: ignore[no-untyped-def]
    ctype = TYPES.get(name, "text/turtle")
    return client.post(
        "/curate" + query,
        data=(DATA / name).read_bytes(),
        headers={"Content-Type": ctype, **curators.header(curators.ana), **headers},
    )


@pytest.mark.parametrize("name", sorted(TYPES))
def test_each_syntax_is_stored_in_a_submission_graph(
    wclient, wstore: Store, curators: Curators, name: str
) -> None:  # type: ignore[no-untyped-def]
    resp = post(wclient, curators, name)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    graph = resp.headers["Location"]
    assert graph.startswith(iris.ID + "submission/")
    rows = wstore.query(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?type }} }}").rows
    assert [r["s"] for r in rows] == [PLEDGE]
    assert resp.json["triples"] == 7


def test_created_answer_carries_the_warnings(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    body = post(wclient, curators, "pledge.ttl").json
    assert body["curator"] == "ana"
    [warning] = body["warnings"]
    assert warning.startswith(f"{PLEDGE} gcm:relatedSDGTarget Advice:")
    assert body["report"]["conforms"] is True and body["report"]["warnings"] == 1


def test_prov_record_names_curator_time_source_comment(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    resp = post(wclient, curators, "pledge.ttl", "?source=https://example.org/sheet&comment=first")
    graph = resp.headers["Location"]
    q = f"""PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?who ?at ?src ?note ?n WHERE {{ GRAPH <{iris.graph("submissions")}> {{
      <{graph}> a gcm:Submission ; gcm:submittedBy ?who ; gcm:submittedAt ?at ;
        gcm:submissionSource ?src ; rdfs:comment ?note ; gcm:tripleCount ?n }} }}"""
    [row] = wstore.query(q).rows
    assert row["who"] == iris.curator("ana")
    assert (str(row["src"]), str(row["note"]), int(row["n"])) == (
        "https://example.org/sheet",
        "first",
        7,
    )


def test_violations_answer_422_with_the_cli_report(
    wclient, wstore: Store, curators: Curators, wsettings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = post(wclient, curators, "pledge-violation.ttl")
    assert resp.status_code == 422
    assert resp.mimetype == "application/problem+json"
    # the CLI validating the same file against the same graph says exactly the same
    store_dir = tmp_path / "cli-store"
    from gcm_kg.store import open_store

    with open_store(f"oxigraph:{store_dir}") as copy:
        copy.replace_all(wstore.dump())
    cli = subprocess.run(
        [
            *(sys.executable, "-m", "gcm_kg", "validate", str(DATA / "pledge-violation.ttl")),
            *("--output", "json", "--store", f"oxigraph:{store_dir}"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 1, cli.stderr
    assert resp.json["report"] == json.loads(cli.stdout)
    assert resp.json["report"]["violations"] == 3
    assert snapshot(wstore) == before


def test_report_as_turtle_or_text_on_request(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    turtle = post(wclient, curators, "pledge-violation.ttl", Accept="text/turtle")
    assert turtle.status_code == 422 and turtle.mimetype == "text/turtle"
    assert "sh:ValidationReport" in turtle.get_data(as_text=True)
    text = post(wclient, curators, "pledge-violation.ttl", Accept="text/plain")
    assert "3 violations, 1 warning on 1 resource. Does not conform." in text.get_data(as_text=True)


def test_dry_run_answers_the_report_and_stores_nothing(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    ok = post(wclient, curators, "pledge.ttl", "?dry_run=true")
    assert ok.status_code == 200 and ok.json["dryRun"] is True
    assert ok.json["report"]["conforms"] is True and "Location" not in ok.headers
    bad = post(wclient, curators, "pledge-violation.ttl", "?dry_run=true")
    assert bad.status_code == 422
    assert snapshot(wstore) == before


def test_malformed_rdf_names_line_and_column(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = post(wclient, curators, "malformed.ttl")
    assert resp.status_code == 400
    assert (resp.json["line"], resp.json["column"]) == (4, 22)
    assert resp.json["detail"].startswith("request body:4:22:")
    assert snapshot(wstore) == before


@pytest.mark.parametrize("ctype", [None, "text/csv", "application/json", "text/plain"])
def test_other_media_types_are_415(wclient, wstore: Store, curators: Curators, ctype) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    headers = curators.header(curators.ana) | ({"Content-Type": ctype} if ctype else {})
    resp = wclient.post("/curate", data=(DATA / "pledge.nt").read_bytes(), headers=headers)
    assert resp.status_code == 415
    assert resp.mimetype == "application/problem+json"
    assert snapshot(wstore) == before


def test_another_charset_is_415(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    resp = post(wclient, curators, "pledge.ttl", **{"Content-Type": "text/turtle; charset=latin-1"})
    assert resp.status_code == 415


def test_oversized_body_is_a_413_problem(
    wclient, wstore: Store, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    big = pledge_ttl("big").encode() + b"# " + b"x" * wsettings.max_body + b"\n"
    resp = wclient.post(
        "/curate",
        data=big,
        headers={"Content-Type": "text/turtle", **curators.header(curators.ana)},
    )
    assert resp.status_code == 413
    assert resp.mimetype == "application/problem+json"
    assert str(wsettings.max_body) in resp.json["detail"]
    assert snapshot(wstore) == before


def test_without_a_token_401(wclient, wstore: Store) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = wclient.post("/curate", data=pledge_ttl("x"), headers={"Content-Type": "text/turtle"})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    bad = wclient.post(
        "/curate",
        data=pledge_ttl("x"),
        headers={"Content-Type": "text/turtle", "Authorization": "Bearer not-a-token"},
    )
    assert bad.status_code == 401
    assert snapshot(wstore) == before


def test_a_token_without_the_right_is_403(
    wclient, wstore: Store, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.writes import auth

    token = auth.add_token(wsettings.curator_tokens, "dana", ("update",))
    before = snapshot(wstore)
    resp = wclient.post(
        "/curate",
        data=pledge_ttl("x"),
        headers={"Content-Type": "text/turtle", **curators.header(token)},
    )
    assert resp.status_code == 403
    assert "'curate'" in resp.json["detail"]
    assert snapshot(wstore) == before


@pytest.mark.parametrize(
    "query", ["?dry_run=maybe", "?dry_run=true&dry_run=false", "?graph=http://x/g"]
)
def test_parameters_are_strict(wclient, curators: Curators, query: str) -> None:  # type: ignore[no-untyped-def]
    assert post(wclient, curators, "pledge.ttl", query).status_code == 400


def test_empty_submission_is_400(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    resp = wclient.post(
        "/curate",
        data=b"# nothing\n",
        headers={"Content-Type": "text/turtle", **curators.header(curators.ana)},
    )
    assert resp.status_code == 400


def test_every_authenticated_attempt_is_audited_and_the_rest_counted(
    wclient, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    post(wclient, curators, "pledge.ttl")
    post(wclient, curators, "pledge-violation.ttl")
    post(wclient, curators, "malformed.ttl")
    before = audit.counters().get("unauthenticated", 0)
    wclient.post("/curate", data=pledge_ttl("x"), headers={"Content-Type": "text/turtle"})
    entries = audit.read(wsettings.audit_log)
    assert [(e["curator"], e["outcome"], e.get("status")) for e in entries] == [
        ("ana", "accepted", None),
        ("ana", "rejected", None),
        ("ana", "rejected", 400),
    ]
    assert audit.counters()["unauthenticated"] == before + 1


def test_retraction_removes_the_graph_and_records_it(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    graph = post(wclient, curators, "pledge.ttl").headers["Location"]
    ident = graph.rsplit("/", 1)[1]
    resp = wclient.delete(
        f"/curate/{ident}?reason=duplicate", headers=curators.header(curators.ana)
    )
    assert resp.status_code == 204
    assert not wstore.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").boolean
    q = f"""PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    ASK {{ GRAPH <{iris.graph("submissions")}> {{ <{graph}> gcm:retractedAt ?t ;
      gcm:retractedBy [ prov:wasAssociatedWith <{iris.curator("ana")}> ] }} }}"""
    assert wstore.query(q).boolean
    again = wclient.delete(f"/curate/{ident}", headers=curators.header(curators.ana))
    assert again.status_code == 404


def test_retraction_that_would_break_other_facts_is_422(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    actor = """@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <https://w3id.org/gcm-kg/id/actor/fixture-ngo> a gcm:Stakeholder ;
        rdfs:label "Fixture NGO"@en ; skos:prefLabel "Fixture NGO"@en ."""
    headers = {"Content-Type": "text/turtle", **curators.header(curators.ana)}
    first = wclient.post("/curate", data=actor, headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)
    second = wclient.post(
        "/curate", data=pledge_ttl("by-ngo", actor="fixture-ngo"), headers=headers
    )
    assert second.status_code == 201, second.get_data(as_text=True)
    before = snapshot(wstore)
    ident = first.headers["Location"].rsplit("/", 1)[1]
    resp = wclient.delete(f"/curate/{ident}", headers=curators.header(curators.ana))
    assert resp.status_code == 422
    focus = [g["focusNode"] for g in resp.json["report"]["focusNodes"]]
    assert str(iris.pledge("by-ngo")) in focus
    assert snapshot(wstore) == before


def test_retraction_needs_the_curate_right(
    wclient, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.writes import auth

    graph = post(wclient, curators, "pledge.ttl").headers["Location"]
    token = auth.add_token(wsettings.curator_tokens, "dana", ("update",))
    resp = wclient.delete(f"/curate/{graph.rsplit('/', 1)[1]}", headers=curators.header(token))
    assert resp.status_code == 403


def test_unknown_submission_id_is_404(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    resp = wclient.delete("/curate/not-an-id", headers=curators.header(curators.ana))
    assert resp.status_code == 404


def test_reads_stay_public(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    graph = post(wclient, curators, "pledge.ttl").headers["Location"]
    resp = wclient.get("/graphs", query_string={"graph": graph}, headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    assert str(PLEDGE) in resp.get_data(as_text=True)


def test_named_query_traces_submitted_facts(
    wclient, wstore: Store, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.sparql import named

    resp = post(wclient, curators, "pledge.ttl", "?source=IMRF%202026%20sheet&comment=batch%201")
    q = named.get(wsettings.queries_dir, "cq10-submission-provenance")
    rows = wstore.query(q.sparql, bindings=q.bindings({"resource": str(PLEDGE)})).rows
    assert len(rows) == 7  # every triple about the pledge
    assert {
        (str(r["graph"]), str(r["curator"]), str(r["source"]), str(r["comment"])) for r in rows
    } == {(resp.headers["Location"], "ana", "IMRF 2026 sheet", "batch 1")}
    assert all("Advice: name the SDG target" in str(r["warnings"]) for r in rows)
    wclient.delete(
        "/curate/" + resp.headers["Location"].rsplit("/", 1)[1],
        headers=curators.header(curators.ana),
    )
    assert wstore.query(q.sparql, bindings=q.bindings({"resource": str(PLEDGE)})).rows == []
