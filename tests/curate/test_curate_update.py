"""POST /update: SPARQL Update for curators, guarded by its algebra, staged, validated, atomic."""

from __future__ import annotations

import pytest

from gcm_kg import iris
from gcm_kg.config import Settings
from gcm_kg.errors import QueryRejected, QuerySyntaxError
from gcm_kg.store import Store
from gcm_kg.writes import audit, update
from tests.curate.helpers import Curators, pledge_ttl, snapshot

G = "http://www.example/upd/g"
UPDATE = {"Content-Type": "application/sparql-update"}
INSERT = (
    f'INSERT DATA {{ GRAPH <{G}> {{ <http://www.example/a> <http://www.example/p> "1" , "2" }} }}'
)


def send(client, token: str, text: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/update", data=text, headers={**UPDATE, **Curators.header(token), **headers}
    )


def graph_size(store: Store, graph: str = G) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    return int(rows[0]["n"])


# ---------------------------------------------------------------- the guard


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://example.org/data.ttl>",
        "load silent <http://example.org/data.ttl> into graph <http://www.example/g>",
        f"INSERT {{ GRAPH <{G}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <http://example.org/sparql> {{ ?s ?p ?o }} }}",
        f"INSERT {{ GRAPH <{G}> {{ ?s ?p ?o }} }} WHERE {{ {{ SELECT * WHERE {{ sErViCe SILENT <http://e.org/q> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX s: <http://e.org/> INSERT DATA {{ GRAPH <{G}> {{ s:a s:b s:c }} }} ; LOAD <http://e.org/x>",
    ],
)
def test_load_and_service_are_refused_by_the_algebra(text: str) -> None:
    with pytest.raises(QueryRejected):
        update.guard(text)


def test_the_words_alone_are_not_refused() -> None:
    update.guard(
        f'INSERT DATA {{ GRAPH <{G}> {{ <http://www.example/a> <http://www.example/note> "LOAD <x>; SERVICE <y>" }} }}'
    )


@pytest.mark.parametrize(
    "text", ["INSERT DATA { <http://a> <http://b> }", "INSERT DATA { x:a <http://b> <http://c> }"]
)
def test_syntax_errors_are_400(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        update.guard(text)


def test_refused_even_for_a_curator(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = send(
        wclient,
        curators.ana,
        "LOAD <http://example.org/data.ttl> INTO GRAPH <http://www.example/g>",
    )
    assert resp.status_code == 400
    assert resp.json["title"] == "Query not allowed"
    assert snapshot(wstore) == before


# ---------------------------------------------------------------- the write


def test_an_update_writes_a_curator_graph_with_its_record(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    resp = send(wclient, curators.ana, INSERT)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json["graphs"] == [G] and resp.json["added"] == 2
    assert graph_size(wstore) == 2
    q = f"""ASK {{ GRAPH <{iris.graph("submissions")}> {{ <{G}>
        <https://w3id.org/gcm-kg/ontology#submittedBy> <{iris.curator("ana")}> ;
        <https://w3id.org/gcm-kg/ontology#tripleCount> 2 }} }}"""
    assert wstore.query(q).boolean


def test_form_encoded_update(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    resp = wclient.post("/update", data={"update": INSERT}, headers=Curators.header(curators.ana))
    assert resp.status_code == 200
    assert graph_size(wstore) == 2


def test_delete_insert_where_rewrites_the_graph(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    send(wclient, curators.ana, INSERT)
    resp = send(
        wclient,
        curators.ana,
        f"""DELETE {{ GRAPH <{G}> {{ ?s ?p "1" }} }} INSERT {{ GRAPH <{G}> {{ ?s ?p "3" }} }}
        WHERE {{ GRAPH <{G}> {{ ?s ?p "1" }} }}""",
    )
    assert resp.status_code == 200
    values = {
        str(r["o"]) for r in wstore.query(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}").rows
    }
    assert values == {"2", "3"}


def test_dropping_the_graph_marks_it_retracted(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    send(wclient, curators.ana, INSERT)
    assert send(wclient, curators.ana, f"DROP GRAPH <{G}>").status_code == 200
    assert graph_size(wstore) == 0
    q = f"ASK {{ GRAPH <{iris.graph('submissions')}> {{ <{G}> <https://w3id.org/gcm-kg/ontology#retractedAt> ?t }} }}"
    assert wstore.query(q).boolean


def test_an_update_that_changes_nothing_is_fine(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = send(wclient, curators.ana, f"DELETE WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
    assert resp.status_code == 200 and resp.json["graphs"] == []
    assert snapshot(wstore) == before


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (f"CLEAR GRAPH <{iris.graph('sdg-kos')}>", 403),
        (f"DELETE WHERE {{ GRAPH <{iris.graph('provenance')}> {{ ?s ?p ?o }} }}", 403),
        (
            'INSERT DATA { <http://www.example/a> <http://www.example/p> "in the default graph" }',
            403,
        ),
        (
            f"INSERT DATA {{ GRAPH <{iris.pledge('x')}> {{ <http://www.example/a> <http://www.example/p> 1 }} }}",
            403,
        ),
        ("CLEAR ALL", 403),
        (f"COPY <{iris.graph('sdg-kos')}> TO <{G}>", 200),  # reading a source graph is fine
    ],
)
def test_graph_policy_applies_to_updates(
    wclient, wstore: Store, curators: Curators, text: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = send(wclient, curators.ana, text)
    assert resp.status_code == status, resp.get_data(as_text=True)
    if status != 200:
        assert snapshot(wstore) == before


def test_another_curators_graph_is_403(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    send(wclient, curators.ana, INSERT)
    before = snapshot(wstore)
    assert send(wclient, curators.bo, f"CLEAR GRAPH <{G}>").status_code == 403
    assert snapshot(wstore) == before


def test_an_update_that_breaks_the_shapes_changes_nothing(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    """The pledge is fine; deleting its title by update is not."""
    ttl = pledge_ttl("upd-a")
    assert (
        wclient.put(
            "/graphs",
            query_string={"graph": G},
            data=ttl,
            headers={"Content-Type": "text/turtle", **Curators.header(curators.ana)},
        ).status_code
        == 201
    )
    before = snapshot(wstore)
    resp = send(
        wclient,
        curators.ana,
        f"DELETE WHERE {{ GRAPH <{G}> {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}",
    )
    assert resp.status_code == 422
    assert resp.json["report"]["violations"] == 1
    assert snapshot(wstore) == before


def test_a_runaway_update_is_stopped(
    wclient, wstore: Store, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    wclient.application.extensions["gcm_kg"].settings = __import__("dataclasses").replace(
        wsettings, query_timeout=1.0
    )
    before = snapshot(wstore)
    resp = send(
        wclient,
        curators.ana,
        f"""INSERT {{ GRAPH <{G}> {{ ?a <http://www.example/p> ?c }} }} WHERE {{
        GRAPH ?g1 {{ ?a ?p1 ?o1 }} GRAPH ?g2 {{ ?b ?p2 ?o2 }} GRAPH ?g3 {{ ?c ?p3 ?o3 }} }}""",
    )
    assert resp.status_code == 503
    assert "nothing was changed" in resp.json["detail"]
    assert snapshot(wstore) == before
    # the writer is free again: a small update goes through (under the usual limit, so a busy
    # machine cannot make this step fail; the 1 s limit was for the runaway)
    wclient.application.extensions["gcm_kg"].settings = wsettings
    again = send(wclient, curators.ana, INSERT)
    assert again.status_code == 200, again.get_data(as_text=True)


def test_a_failing_operation_is_400_and_changes_nothing(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    send(wclient, curators.ana, INSERT)
    before = snapshot(wstore)
    resp = send(
        wclient,
        curators.ana,
        f"INSERT DATA {{ GRAPH <{G}2> {{ <http://www.example/a> <http://www.example/p> 3 }} }} ; CREATE GRAPH <{G}>",
    )
    assert resp.status_code == 400
    assert snapshot(wstore) == before


@pytest.mark.parametrize(
    ("ctype", "status"), [("text/plain", 415), ("application/sparql-query", 415), (None, 415)]
)
def test_wrong_content_type(wclient, curators: Curators, ctype: str | None, status: int) -> None:  # type: ignore[no-untyped-def]
    headers = Curators.header(curators.ana) | ({"Content-Type": ctype} if ctype else {})
    assert wclient.post("/update", data=INSERT, headers=headers).status_code == status


def test_update_needs_the_update_right(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    assert wclient.post("/update", data=INSERT, headers=UPDATE).status_code == 401
    assert send(wclient, curators.cleo, INSERT).status_code == 403
    assert snapshot(wstore) == before


def test_updates_are_audited(wclient, curators: Curators, wsettings: Settings) -> None:  # type: ignore[no-untyped-def]
    send(wclient, curators.ana, INSERT)
    send(wclient, curators.ana, "LOAD <http://example.org/x>")
    send(wclient, curators.cleo, INSERT)
    entries = [
        (e["curator"], e["outcome"], e.get("status")) for e in audit.read(wsettings.audit_log)
    ]
    assert entries == [
        ("ana", "accepted", None),
        ("ana", "rejected", 400),
        ("cleo", "rejected", 403),
    ]


def test_submissions_cannot_be_edited_by_update(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    created = wclient.post(
        "/curate",
        data=pledge_ttl("upd-sub"),
        headers={"Content-Type": "text/turtle", **Curators.header(curators.ana)},
    )
    graph = created.headers["Location"]
    before = snapshot(wstore)
    resp = send(wclient, curators.ana, f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert resp.status_code == 403
    assert "immutable" in resp.json["detail"]
    assert snapshot(wstore) == before
