"""The Graph Store Protocol at /graphs: the graph policy, the write semantics, their records."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from gcm_kg import iris
from gcm_kg.config import Settings
from gcm_kg.errors import BadRequest
from gcm_kg.store import Store
from gcm_kg.writes import audit, graphs, policy
from tests.curate.helpers import Curators, pledge_ttl, snapshot

G = "http://www.example/curated/g1"
TTL = {"Content-Type": "text/turtle"}
TRIPLES = """<http://www.example/a> <http://www.example/p> "one" .
<http://www.example/a> <http://www.example/q> [ <http://www.example/r> "two" ] ."""
SUBMISSIONS = iris.graph("submissions")


def put(client, token: str, body: str = TRIPLES, graph: str = G, method: str = "PUT"):  # type: ignore[no-untyped-def]
    return client.open(
        "/graphs",
        method=method,
        query_string={"graph": graph},
        data=body,
        headers={**TTL, **Curators.header(token)},
    )


def triples(client, graph: str = G) -> Graph:  # type: ignore[no-untyped-def]
    resp = client.get("/graphs", query_string={"graph": graph}, headers={"Accept": "text/turtle"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return Graph().parse(data=resp.get_data(as_text=True), format="turtle")


def record(store: Store, graph: str) -> dict[str, str]:
    rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{SUBMISSIONS}> {{ <{graph}> ?p ?o }} }}").rows
    return {str(r["p"]).rsplit("#", 1)[-1]: str(r["o"]) for r in rows}


# ---------------------------------------------------------------- policy


@pytest.mark.parametrize(
    ("graph", "kind"),
    [
        (None, policy.Kind.DEFAULT),
        (iris.graph("sdg-kos"), policy.Kind.SOURCE),
        (iris.graph("submissions"), policy.Kind.SOURCE),
        (iris.graph("not-built-yet"), policy.Kind.SOURCE),
        (iris.submission("20261123t120000z-0a1b2c3d"), policy.Kind.SUBMISSION),
        (URIRef(iris.ID + "submission/made-up"), policy.Kind.RESERVED),
        (iris.pledge("x"), policy.Kind.RESERVED),
        (URIRef("https://gcm.example.org/graphs/x"), policy.Kind.CURATOR),
        (URIRef("http://www.example/gsp/person/1.ttl"), policy.Kind.CURATOR),
        (URIRef("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"), policy.Kind.CURATOR),
    ],
)
def test_graph_kinds(graph: URIRef | None, kind: policy.Kind) -> None:
    assert policy.classify(graph) is kind


def test_a_deployment_base_is_reserved_too() -> None:
    graph = URIRef("https://gcm.example.org/id/pledge/x")
    assert policy.classify(graph, ("https://gcm.example.org/",)) is policy.Kind.RESERVED


@pytest.mark.parametrize(
    "graph",
    [
        str(iris.graph("sdg-kos")),
        str(iris.graph("submissions")),
        str(iris.pledge("x")),
        str(iris.submission("20261123t120000z-0a1b2c3d")),
    ],
)
def test_protected_graphs_are_403_and_unchanged(
    wclient, wstore: Store, curators: Curators, graph: str
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    for method in ("PUT", "POST"):
        resp = put(wclient, curators.ana, graph=graph, method=method)
        assert resp.status_code == 403, (method, resp.get_data(as_text=True))
    assert snapshot(wstore) == before


def test_deleting_a_source_graph_is_403(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = wclient.delete(
        "/graphs",
        query_string={"graph": str(iris.graph("sdg-kos"))},
        headers=Curators.header(curators.ana),
    )
    assert resp.status_code == 403
    assert "gcm-kg build" in resp.json["detail"]
    assert snapshot(wstore) == before


def test_the_default_graph_is_read_only(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = wclient.put(
        "/graphs?default", data=TRIPLES, headers={**TTL, **curators.header(curators.ana)}
    )
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET, HEAD"
    assert snapshot(wstore) == before


def test_the_default_graph_reads_as_the_union(wclient, wstore: Store) -> None:  # type: ignore[no-untyped-def]
    resp = wclient.get("/graphs?default", headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    distinct = wstore.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    )
    assert len(resp.get_data().splitlines()) == int(distinct.rows[0]["n"])


def test_a_curator_graph_belongs_to_its_first_writer(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    assert put(wclient, curators.ana).status_code == 201
    before = snapshot(wstore)
    for method in ("PUT", "POST", "DELETE"):
        resp = put(wclient, curators.bo, method=method)
        assert resp.status_code == 403, method
        assert "belongs to another curator" in resp.json["detail"]
    assert snapshot(wstore) == before


def test_writes_need_a_token_with_the_update_right(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    assert (
        wclient.put("/graphs", query_string={"graph": G}, data=TRIPLES, headers=TTL).status_code
        == 401
    )
    assert put(wclient, curators.cleo).status_code == 403  # cleo may curate, not update
    assert snapshot(wstore) == before


# ---------------------------------------------------------------- semantics


def test_put_creates_then_replaces(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    first = put(wclient, curators.ana)
    assert first.status_code == 201 and first.headers["Location"] == G
    assert len(triples(wclient)) == 3
    second = put(wclient, curators.ana, body='<http://www.example/b> <http://www.example/p> "x" .')
    assert second.status_code == 200 and second.json["triples"] == 1
    assert {str(s) for s in triples(wclient).subjects()} == {"http://www.example/b"}


def test_post_merges(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    put(wclient, curators.ana)
    resp = put(
        wclient,
        curators.ana,
        body='<http://www.example/b> <http://www.example/p> "x" .',
        method="POST",
    )
    assert resp.status_code == 200 and resp.json["triples"] == 4
    assert len(triples(wclient)) == 4


def test_multipart_post_merges_every_part(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    resp = wclient.post(
        "/graphs",
        query_string={"graph": G},
        headers=Curators.header(curators.ana),
        content_type="multipart/form-data",
        data={
            "a": (
                BytesIO(b'<http://www.example/a> <http://www.example/p> "1" .'),
                "a.ttl",
                "text/turtle",
            ),
            "b": (
                BytesIO(b'<http://www.example/b> <http://www.example/p> "2" .'),
                "b.nt",
                "application/n-triples",
            ),
        },
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert len(triples(wclient)) == 2


def test_delete_then_404(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    put(wclient, curators.ana)
    assert (
        wclient.delete(
            "/graphs", query_string={"graph": G}, headers=curators.header(curators.ana)
        ).status_code
        == 204
    )
    assert wclient.get("/graphs", query_string={"graph": G}).status_code == 404
    assert wclient.head("/graphs", query_string={"graph": G}).status_code == 404
    assert (
        wclient.delete(
            "/graphs", query_string={"graph": G}, headers=curators.header(curators.ana)
        ).status_code
        == 404
    )


def test_the_record_follows_the_writes(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    resp = wclient.put(
        "/graphs",
        query_string={"graph": G, "source": "https://example.org/sheet", "comment": "v1"},
        data=TRIPLES,
        headers={**TTL, **curators.header(curators.ana)},
    )
    assert resp.status_code == 201
    rec = record(wstore, G)
    assert rec["submittedBy"] == str(iris.curator("ana"))
    assert (rec["tripleCount"], rec["submissionSource"], rec["comment"]) == (
        "3",
        "https://example.org/sheet",
        "v1",
    )
    wclient.delete("/graphs", query_string={"graph": G}, headers=curators.header(curators.ana))
    assert "retractedAt" in record(wstore, G)
    put(wclient, curators.ana)  # written again: no longer retracted, no stale source
    rec = record(wstore, G)
    assert "retractedAt" not in rec and "submissionSource" not in rec
    n = wstore.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SUBMISSIONS}> {{ <{G}> ?p ?o }} }}")
    assert int(n.rows[0]["n"]) == len(rec)  # one value per property: nothing piles up


def test_a_write_that_breaks_the_shapes_is_422(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = put(wclient, curators.ana, body=pledge_ttl("gsp-bad", actor="atlantis"))
    assert resp.status_code == 422
    assert resp.json["report"]["violations"] == 2
    assert snapshot(wstore) == before


def test_replacing_a_graph_is_validated_without_its_old_content(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    """A PUT that drops a pledge's title is judged on the graph as it would be after it."""
    assert put(wclient, curators.ana, body=pledge_ttl("gsp-a")).status_code == 201
    no_title = "\n".join(
        line for line in pledge_ttl("gsp-a").splitlines() if "rdfs:label" not in line
    )
    resp = put(wclient, curators.ana, body=no_title)
    assert resp.status_code == 422
    assert any(
        r["path"] == "rdfs:label" for n in resp.json["report"]["focusNodes"] for r in n["results"]
    )


def test_deleting_a_graph_others_point_into_is_422(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    actor = """<https://w3id.org/gcm-kg/id/actor/gsp-ngo> a <https://w3id.org/gcm-kg/ontology#Stakeholder> ;
        <http://www.w3.org/2000/01/rdf-schema#label> "GSP NGO"@en ;
        <http://www.w3.org/2004/02/skos/core#prefLabel> "GSP NGO"@en ."""
    assert put(wclient, curators.ana, body=actor).status_code == 201
    assert (
        put(
            wclient, curators.ana, body=pledge_ttl("gsp-b", actor="gsp-ngo"), graph=G + "2"
        ).status_code
        == 201
    )
    before = snapshot(wstore)
    resp = wclient.delete(
        "/graphs", query_string={"graph": G}, headers=curators.header(curators.ana)
    )
    assert resp.status_code == 422
    assert str(iris.pledge("gsp-b")) in [n["focusNode"] for n in resp.json["report"]["focusNodes"]]
    assert snapshot(wstore) == before


def test_deleting_a_submission_graph_retracts_it(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    created = wclient.post(
        "/graphs", data=pledge_ttl("gsp-sub"), headers={**TTL, **curators.header(curators.ana)}
    )
    assert created.status_code == 201
    graph = created.headers["Location"]
    assert graph.startswith(iris.ID + "submission/")
    gone = wclient.delete(
        "/graphs", query_string={"graph": graph}, headers=curators.header(curators.ana)
    )
    assert gone.status_code == 204
    assert "retractedAt" in record(wstore, graph)


def test_get_negotiates_the_syntax(wclient, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    put(wclient, curators.ana)
    for accept, media in [
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
        ("*/*", "text/turtle"),
    ]:
        resp = wclient.get("/graphs", query_string={"graph": G}, headers={"Accept": accept})
        assert resp.mimetype == media, accept
    assert (
        wclient.get(
            "/graphs", query_string={"graph": G}, headers={"Accept": "image/png"}
        ).status_code
        == 406
    )


def test_unknown_graph_is_404(wclient) -> None:  # type: ignore[no-untyped-def]
    resp = wclient.get("/graphs", query_string={"graph": "http://www.example/none"})
    assert resp.status_code == 404


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"graph": ["a", "b"]},
        {"graph": ["http://x/g"], "default": [""]},
        {"graph": ["not an iri"]},
        {"graph": ["http://x/g"], "format": ["ttl"]},
        {"default": ["yes"]},
    ],
)
def test_graph_identification_is_strict(args: dict[str, list[str]]) -> None:
    with pytest.raises(BadRequest):
        graphs.target("GET", args)


def test_direct_identification_names_the_url() -> None:
    t = graphs.target("PUT", {}, "http://localhost/graphs/person/1.ttl")
    assert t.graph == URIRef("http://localhost/graphs/person/1.ttl")
    with pytest.raises(BadRequest):
        graphs.target("PUT", {"graph": ["http://x/g"]}, "http://localhost/graphs/p")


def test_post_without_a_graph_creates_one() -> None:
    assert graphs.target("POST", {}).service


def test_graph_writes_are_audited(wclient, curators: Curators, wsettings: Settings) -> None:  # type: ignore[no-untyped-def]
    put(wclient, curators.ana)
    put(wclient, curators.bo)
    put(wclient, curators.ana, graph=str(iris.graph("sdg-kos")))
    entries = [
        (e["action"], e["curator"], e["outcome"], e.get("status"))
        for e in audit.read(wsettings.audit_log)
    ]
    assert entries == [
        ("graph-put", "ana", "accepted", None),
        ("graph-put", "bo", "rejected", 403),
        ("graph-put", "ana", "rejected", 403),
    ]


def test_oversized_put_is_a_413_problem(
    wclient, wstore: Store, curators: Curators, wsettings: Settings
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = put(wclient, curators.ana, body=TRIPLES + "\n#" + "x" * wsettings.max_body)
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"
    assert snapshot(wstore) == before


def test_a_triple_another_graph_holds_is_not_gone(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.writes.content import gone_without

    put(wclient, curators.ana)
    put(
        wclient,
        curators.ana,
        body='<http://www.example/a> <http://www.example/p> "one" .',
        graph=G + "2",
    )
    gone = gone_without(wstore, URIRef(G))
    assert sorted(t.predicate.value for t in gone) == [
        "http://www.example/q",
        "http://www.example/r",
    ]


@pytest.mark.parametrize("kind", ["oxigraph:", "memory"])
def test_graph_writes_on_each_embedded_backend(kind: str, nquads: bytes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg import formats
    from gcm_kg.store import open_store
    from gcm_kg.validate.parse import parse_bytes
    from gcm_kg.writes import checks

    store = open_store(kind)
    store.replace_all(nquads)
    body = parse_bytes(TRIPLES.encode(), formats.BY_NAME["turtle"])
    common = {
        "curator": "ana",
        "check": checks.shacl_change_validator(),
        "audit_log": tmp_path / "a.log",
    }
    assert graphs.write(store, "PUT", URIRef(G), body, **common).created  # type: ignore[arg-type]
    assert len(graphs.read(store, URIRef(G))) == 3
    graphs.write(store, "POST", URIRef(G), body[:1], **common)  # type: ignore[arg-type]
    assert len(graphs.read(store, URIRef(G))) == 3  # the same triple once
    graphs.write(store, "DELETE", URIRef(G), **common)  # type: ignore[arg-type]
    assert not store.query(f"ASK {{ GRAPH <{G}> {{ ?s ?p ?o }} }}").boolean
    assert store.query(
        f"ASK {{ GRAPH <{SUBMISSIONS}> {{ <{G}> <https://w3id.org/gcm-kg/ontology#retractedAt> ?t }} }}"
    ).boolean
