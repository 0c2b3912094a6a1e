"""``/id/...`` dereferencing: content negotiation, caching headers, 404/406, path guard, HTML."""

from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from gcm_kg.config import Settings
from gcm_kg.store import open_store
from tests.helpers import make_app, turtle_triples
from tests.linked.helpers import BASE, expand_to_graph, plain

OBJ = "/id/objective/20"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
        ("application/json", "application/json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("*/*", "text/turtle"),
        ("", "text/turtle"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("application/*", "application/ld+json"),
        ("text/*;q=0.9, text/html;q=0.1", "text/turtle"),
    ],
)
def test_accept_header_picks_the_representation(ld, accept: str, expected: str) -> None:
    resp = ld.get(OBJ, headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200
    assert resp.mimetype == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("turtle", "text/turtle"),
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdfxml", "application/rdf+xml"),
        ("html", "text/html"),
    ],
)
def test_format_parameter_overrides_accept(ld, fmt: str, expected: str) -> None:
    resp = ld.get(f"{OBJ}?format={fmt}", headers={"Accept": "image/png"})
    assert resp.status_code == 200
    assert resp.mimetype == expected


def test_unsupported_type_is_406_naming_what_is_offered(ld) -> None:
    resp = ld.get(OBJ, headers={"Accept": "image/png, application/json;q=0"})
    assert resp.status_code == 406
    assert "text/turtle" in resp.get_data(as_text=True)


def test_unknown_format_parameter_is_400(ld) -> None:
    resp = ld.get(f"{OBJ}?format=pdf")
    assert resp.status_code == 400
    assert "turtle" in resp.get_json()["detail"]


def test_format_parameter_given_twice_is_400(ld) -> None:
    assert ld.get(f"{OBJ}?format=nt&format=ttl").status_code == 400


def test_every_rdf_format_carries_the_same_graph(ld) -> None:
    reference = expand_to_graph(ld.get(OBJ, headers={"Accept": "application/ld+json"}).get_json())
    for media, name in [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ]:
        body = ld.get(OBJ, headers={"Accept": media}).get_data(as_text=True)
        assert isomorphic(plain(Graph().parse(data=body, format=name)), reference), media
    trig = Dataset().parse(data=ld.get(OBJ + "?format=trig").get_data(as_text=True), format="trig")
    graphs = {str(g.identifier) for g in trig.graphs() if len(g)}
    assert BASE + "id/graph/gcm-reference-objectives" in graphs  # quads keep provenance
    assert BASE + "id/graph/gcm-reference-sdg-links" in graphs


def test_caching_headers(ld) -> None:
    resp = ld.get(OBJ, headers={"Accept": "text/turtle"})
    assert {v.strip() for v in resp.headers["Vary"].split(",")} == {"Accept", "Accept-Language"}
    assert re.fullmatch(r'"[0-9a-f]{32}"', resp.headers["ETag"])
    assert resp.headers["Last-Modified"].endswith("GMT")
    assert resp.headers["Cache-Control"] == "public, max-age=300"


def test_etag_differs_per_representation(ld) -> None:
    a = ld.get(OBJ, headers={"Accept": "text/turtle"}).headers["ETag"]
    b = ld.get(OBJ, headers={"Accept": "application/ld+json"}).headers["ETag"]
    assert a != b


def test_conditional_get_with_current_etag_is_304(ld) -> None:
    etag = ld.get(OBJ, headers={"Accept": "text/turtle"}).headers["ETag"]
    again = ld.get(OBJ, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_conditional_get_with_last_modified_is_304(ld) -> None:
    stamp = ld.get(OBJ).headers["Last-Modified"]
    assert ld.get(OBJ, headers={"If-Modified-Since": stamp}).status_code == 304


def test_canonical_link_and_cors(ld) -> None:
    resp = ld.get(OBJ)
    assert f'<{BASE}id/objective/20>; rel="canonical"' in resp.headers["Link"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in resp.headers["Access-Control-Expose-Headers"]


def test_plain_json_links_the_context(ld) -> None:
    resp = ld.get(OBJ, headers={"Accept": "application/json"})
    assert (
        f'<{BASE}context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"'
        in resp.headers["Link"]
    )
    assert resp.get_json()["id"] == BASE + "id/objective/20"


def test_cors_preflight(ld) -> None:
    resp = ld.options(
        OBJ, headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "GET"}
    )
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]


def test_unknown_iri_is_a_problem_document_for_programs(ld) -> None:
    resp = ld.get("/id/objective/99", headers={"Accept": "application/ld+json"})
    assert resp.status_code == 404
    assert resp.mimetype == "application/problem+json"
    assert "1 to 23" in resp.get_json()["detail"]


def test_unknown_iri_is_a_helpful_page_for_people(ld) -> None:
    resp = ld.get("/id/objective/99", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert "https://w3id.org/gcm-kg/id/objective/99" in page
    assert 'href="/browse/objectives"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/id/../../etc/passwd",
        "/id/%2e%2e/%2e%2e/etc/passwd",
        "/id/objective/20/../21",
        "/id/objective//20",
        "/id/OBJECTIVE/20",
        "/id/objective/20%00",
        "/id/objective/2%C2%B2",  # superscript two
        "/id/objective/%EF%BC%92%EF%BC%90",  # full-width digits
        "/id/actor/m%C3%A9x",
        "/id/objective/20 ",
        "/id/" + "a/" * 200 + "b",
    ],
)
def test_odd_paths_are_404_and_never_reach_the_store(
    ld, linked_app, path: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    store = linked_app.extensions["gcm_kg"].store

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the store was queried for an odd path")

    monkeypatch.setattr(store, "query", refuse)
    resp = ld.get(path, headers={"Accept": "application/json"})
    assert resp.status_code in (404, 308)  # werkzeug may redirect a double slash first
    if resp.status_code == 404:
        assert resp.mimetype == "application/problem+json"


def test_skolem_iris_dereference(ld, oxigraph_store) -> None:  # type: ignore[no-untyped-def]
    rows = oxigraph_store.query(
        "SELECT ?s WHERE { ?s ?p ?o FILTER STRSTARTS(STR(?s), 'https://w3id.org/gcm-kg/.well-known/genid/') } LIMIT 1"
    ).rows
    assert rows, "the built graph has skolem IRIs"
    path = str(rows[0]["s"])[len(BASE) - 1 :]
    assert ld.get(path, headers={"Accept": "text/turtle"}).status_code == 200


def test_html_page_shows_label_type_properties_links_incoming_and_provenance(ld) -> None:
    page = ld.get(OBJ, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<h1>Objective 20: Promote faster, safer and cheaper transfer of remittances" in page
    assert 'href="/ontology#Objective"' in page  # the type, linked
    assert 'href="/id/round-table/3"' in page  # a property value, linked locally
    assert "gcm:coveredByRoundTable" in page
    assert 'href="/id/declaration/imrf-2022/paragraph/67"' in page  # incoming link
    assert "gcm:addressesObjective" in page
    assert "gcm-reference-objectives" in page  # the named graph of a fact
    assert "GCM objectives: titles, commitment paragraphs and round tables" in page  # its source
    assert 'href="http://metadata.un.org/sdg/10.c"' in page  # external IRIs stay external
    for name in ("turtle", "jsonld", "ntriples", "rdfxml", "trig", "nquads"):
        assert f'href="/id/objective/20?format={name}"' in page


def test_html_escapes_text_from_the_graph(ld, linked_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef

    from gcm_kg.linked import describe as describe_module

    real = describe_module.describe

    def tampered(store, iri, lang="en"):  # type: ignore[no-untyped-def]
        desc = real(store, iri, lang)
        g = desc.quads[0][0]
        desc.quads.append(
            (
                g,
                iri,
                URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
                Literal("<script>alert(1)</script>"),
            )
        )
        return desc

    monkeypatch.setattr("gcm_kg.web.resources.describe", tampered)
    page = ld.get(OBJ, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_round_table_page_lists_its_section_paragraphs(ld) -> None:
    page = ld.get("/id/round-table/3", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Paragraphs of the section reporting on this round table" in page
    assert 'href="/id/declaration/imrf-2022/paragraph/37"' in page


def test_the_canonical_base_is_configurable(linked_settings: Settings) -> None:
    """A deployment under another base answers for its own canonical IRIs at the same paths."""
    from rdflib import URIRef

    base = "https://data.example.org/gcm/"
    store = open_store("memory")
    store.load(
        f'<{base}id/objective/20> <http://www.w3.org/2000/01/rdf-schema#label> "Twenty"@en .'.encode(),
        "application/n-triples",
        graph=URIRef(base + "id/graph/test"),
    )
    client = make_app(linked_settings, store, base_iri=base).test_client()
    doc = client.get(OBJ, headers={"Accept": "application/ld+json"}).get_json()
    assert doc["id"] == base + "id/objective/20"
    assert doc["@context"] == base + "context.jsonld"
    assert doc["label"] == "Twenty"
    assert client.get("/id/objective/21").status_code == 404


def test_a_curator_submission_shows_up_with_its_provenance(
    linked_settings: Settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """After an accepted write the pledge dereferences, lists and counts, and says who added it."""
    from types import SimpleNamespace

    from gcm_kg.writes import submissions
    from tests.linked.helpers import FIXTURE

    store = open_store("memory")
    store.load(FIXTURE.read_bytes(), "application/trig")
    client = make_app(linked_settings, store).test_client()
    before = client.get("/api/pledges?objective=2")
    assert before.get_json()["totalItems"] == 0
    pledge = turtle_triples(
        """@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
        <https://w3id.org/gcm-kg/id/pledge/test-curated> a gcm:Pledge ;
            <http://www.w3.org/2000/01/rdf-schema#label> "Curated test pledge"@en ;
            gcm:supportsObjective <https://w3id.org/gcm-kg/id/objective/2> ."""
    )
    ok = SimpleNamespace(conforms=True, warnings=lambda: [], to_json=lambda: {"conforms": True})
    submissions.submit(
        store,
        pledge,
        curator="ana",
        validator=lambda g, s: ok,
        audit_log=tmp_path / "audit.log",
        source="https://example.org/pledge",
    )
    after = client.get(
        "/api/pledges?objective=2", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert after.status_code == 200
    assert after.get_json()["totalItems"] == 1
    page = client.get("/id/pledge/test-curated", headers={"Accept": "text/html"}).get_data(
        as_text=True
    )
    assert "Curator submission: submitted by ana at " in page
    assert "from https://example.org/pledge" in page
