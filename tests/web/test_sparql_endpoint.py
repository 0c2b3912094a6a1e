"""/sparql over HTTP (Flask test client), once per store backend: protocol, formats, errors,
service description, HEAD, CORS, ETag and the result limit."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from gcm_kg.config import Settings
from gcm_kg.store import Store
from tests.helpers import BROWSER, client_for

GCM = "https://w3id.org/gcm-kg/"
OBJECTIVES = (
    "PREFIX gcm: <https://w3id.org/gcm-kg/ontology#> "
    "SELECT ?o ?n WHERE { ?o a gcm:Objective ; gcm:objectiveNumber ?n } ORDER BY ?n"
)
ASK_20 = f"ASK {{ <{GCM}id/objective/20> ?p ?o }}"
CONSTRUCT_20 = (
    f"CONSTRUCT {{ <{GCM}id/objective/20> ?p ?o }} WHERE {{ <{GCM}id/objective/20> ?p ?o }}"
)


def get(web: FlaskClient, query: str, accept: str | None = None, **params: str):  # type: ignore[no-untyped-def]
    qs = "query=" + quote(query) + "".join(f"&{k}={quote(v)}" for k, v in params.items())
    return web.get("/sparql?" + qs, headers={"Accept": accept} if accept else {})


def rows(resp, fmt: str = "json") -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    result = Result.parse(io.BytesIO(resp.data), format=fmt)
    return [tuple(str(r[v]) for v in result.vars) for r in result]  # type: ignore[index,union-attr]


def test_get_answers_json_by_default(web: FlaskClient, store: Store) -> None:
    resp = get(web, OBJECTIVES)
    assert resp.status_code == 200
    assert resp.mimetype == "application/sparql-results+json"
    assert len(rows(resp)) == 23 == len(store.query(OBJECTIVES).rows)


def test_post_form_and_post_direct_answer_like_get(web: FlaskClient) -> None:
    by_get = get(web, OBJECTIVES).data
    form = web.post("/sparql", data={"query": OBJECTIVES})
    direct = web.post(
        "/sparql", data=OBJECTIVES.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert form.status_code == direct.status_code == 200
    assert json.loads(form.data) == json.loads(direct.data) == json.loads(by_get)


ACCEPT_SELECT = [
    ("*/*", "application/sparql-results+json", "json"),
    ("application/sparql-results+json", "application/sparql-results+json", "json"),
    ("application/json", "application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("application/xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/*", "text/csv", "csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml", "xml"),
]


@pytest.mark.parametrize(("accept", "media_type", "fmt"), ACCEPT_SELECT)
def test_select_formats_by_accept(web: FlaskClient, accept: str, media_type: str, fmt: str) -> None:
    resp = get(web, OBJECTIVES, accept)
    assert resp.status_code == 200 and resp.mimetype == media_type
    expected = rows(get(web, OBJECTIVES))
    if fmt == "tsv":  # TSV writes terms in SPARQL syntax; compare the parsed terms
        assert rows(resp, fmt) == expected
    else:
        assert rows(resp, fmt) == expected


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ],
)
def test_ask_formats(web: FlaskClient, accept: str, media_type: str, fmt: str) -> None:
    resp = get(web, ASK_20, accept)
    assert resp.status_code == 200 and resp.mimetype == media_type
    assert Result.parse(io.BytesIO(resp.data), format=fmt).askAnswer is True


def test_ask_as_csv_is_406_naming_the_offers(web: FlaskClient) -> None:
    resp = get(web, ASK_20, "text/csv")
    assert resp.status_code == 406
    assert b"application/sparql-results+json" in resp.data


ACCEPT_GRAPH = [
    ("*/*", "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("text/plain", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/trig", "application/trig", "trig"),
    ("application/n-quads", "application/n-quads", "nquads"),
    ("application/n-triples;q=0.9, text/turtle;q=0.8", "application/n-triples", "nt"),
]


@pytest.mark.parametrize(("accept", "media_type", "fmt"), ACCEPT_GRAPH)
def test_construct_formats_by_accept(
    web: FlaskClient, store: Store, accept: str, media_type: str, fmt: str
) -> None:
    resp = get(web, CONSTRUCT_20, accept)
    assert resp.status_code == 200 and resp.mimetype == media_type
    parsed = Dataset() if fmt in ("trig", "nquads") else Graph()
    parsed.parse(data=resp.data, format=fmt)
    got = Graph()
    for t in parsed.triples((None, None, None)):
        got.add(t)
    expected = Graph()
    for t in store.query(CONSTRUCT_20).triples:
        expected.add(t)
    assert len(got) > 10 and isomorphic(got, expected)


def test_describe_answers_a_graph(web: FlaskClient) -> None:
    resp = get(web, f"DESCRIBE <{GCM}id/objective/20>", "text/turtle")
    assert resp.status_code == 200
    assert (URIRef(f"{GCM}id/objective/20"), None, None) in Graph().parse(
        data=resp.data, format="turtle"
    )


@pytest.mark.parametrize(
    ("query", "fmt", "media_type"),
    [
        (OBJECTIVES, "csv", "text/csv"),
        (OBJECTIVES, "tsv", "text/tab-separated-values"),
        (OBJECTIVES, "xml", "application/sparql-results+xml"),
        (CONSTRUCT_20, "xml", "application/rdf+xml"),
        (CONSTRUCT_20, "json", "application/ld+json"),
        (CONSTRUCT_20, "ttl", "text/turtle"),
        (CONSTRUCT_20, "application/n-triples", "application/n-triples"),
    ],
)
def test_format_parameter_overrides_accept(
    web: FlaskClient, query: str, fmt: str, media_type: str
) -> None:
    resp = get(web, query, "application/sparql-results+json", format=fmt)
    assert resp.status_code == 200 and resp.mimetype == media_type


def test_unknown_format_is_406(web: FlaskClient) -> None:
    resp = get(web, OBJECTIVES, format="pdf")
    assert resp.status_code == 406 and b"known formats" in resp.data


def test_select_with_a_graph_type_only_is_406(web: FlaskClient) -> None:
    resp = get(web, OBJECTIVES, "text/turtle")
    assert resp.status_code == 406
    assert b"text/csv" in resp.data


def test_syntax_error_is_400_with_position(web: FlaskClient) -> None:
    resp = get(web, "SELECT * WHERE { ?s ?p }")
    assert resp.status_code == 400
    body = json.loads(resp.data)
    assert body["title"] == "Query syntax error"
    assert re.search(r"at 1:\d+|line 1\b", body["detail"])


def test_service_is_400(web: FlaskClient) -> None:
    resp = get(web, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert resp.status_code == 400 and b"SERVICE" in resp.data


def test_update_sent_as_query_is_refused_as_a_write(web: FlaskClient) -> None:
    resp = web.post("/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> 1 }"})
    assert resp.status_code == 403 and b"answers queries only" in resp.data


def test_update_requests_are_403(web: FlaskClient) -> None:
    assert web.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    resp = web.post(
        "/sparql", data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert resp.status_code == 403


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(web: FlaskClient, method: str) -> None:
    resp = web.open("/sparql?query=ASK%7B%7D", method=method)
    assert resp.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in resp.headers["Allow"].split(",")}


def test_wrong_content_type_is_415(web: FlaskClient) -> None:
    resp = web.post("/sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415


def test_body_over_the_limit_is_413(settings: Settings, store: Store) -> None:
    for small in client_for(settings, store, max_body=100):
        resp = small.post(
            "/sparql",
            data=("ASK {}" + " " * 200).encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert resp.status_code == 413


def test_deep_nesting_is_400(web: FlaskClient) -> None:
    resp = get(web, "SELECT * WHERE " + "{" * 50 + "}" * 50)
    assert resp.status_code == 400 and b"levels deep" in resp.data
    # the depth that crashes pyoxigraph's parser never reaches it
    assert get(web, "SELECT * WHERE " + "{" * 3000 + "}" * 3000).status_code == 400


def test_service_description_on_bare_get(web: FlaskClient, store: Store) -> None:
    resp = web.get("/sparql", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    g = Graph().parse(data=resp.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef("http://localhost/sparql")) in g
    names = set(g.objects(None, URIRef(sd + "name")))
    assert names == set(store.named_graphs())


def test_service_description_is_negotiated(web: FlaskClient) -> None:
    resp = web.get("/sparql", headers={"Accept": "application/ld+json"})
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    assert len(Graph().parse(data=resp.data, format="json-ld")) > 10


def test_head_has_headers_and_no_body(web: FlaskClient) -> None:
    full = get(web, OBJECTIVES)
    head = web.head("/sparql?query=" + quote(OBJECTIVES))
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == full.headers["Content-Type"]
    assert head.headers["ETag"] == full.headers["ETag"]


def test_cors_on_answers_and_errors(web: FlaskClient) -> None:
    assert get(web, ASK_20).headers["Access-Control-Allow-Origin"] == "*"
    assert get(web, "ASK {").headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in get(web, ASK_20).headers["Access-Control-Expose-Headers"]


def test_cors_preflight(web: FlaskClient) -> None:
    resp = web.options(
        "/sparql",
        headers={
            "Origin": "https://portal.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in resp.headers["Access-Control-Allow-Headers"]


def test_unchanged_answer_costs_a_304(web: FlaskClient) -> None:
    first = get(web, OBJECTIVES)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    again = web.get("/sparql?query=" + quote(OBJECTIVES), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


def test_etag_differs_by_format(web: FlaskClient) -> None:
    assert get(web, OBJECTIVES).headers["ETag"] != get(web, OBJECTIVES, "text/csv").headers["ETag"]


def test_result_limit_cuts_and_says_so(settings: Settings, store: Store) -> None:
    for limited in client_for(settings, store, result_limit=5):
        cut = get(limited, OBJECTIVES)
        assert cut.headers["Results-Truncated"] == "true"
        assert cut.headers["Results-Limit"] == "5"
        assert len(rows(cut)) == 5
        whole = get(limited, OBJECTIVES + " LIMIT 5")
        assert "Results-Truncated" not in whole.headers and len(rows(whole)) == 5
        graph = get(limited, CONSTRUCT_20, "application/n-triples")
        assert graph.headers["Results-Truncated"] == "true"
        assert len(graph.data.splitlines()) == 5


def test_default_graph_uri_restricts_the_default_graph(web: FlaskClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = int(rows(get(web, count))[0][0])
    ontology = get(web, count, **{"default-graph-uri": f"{GCM}id/graph/ontology"})
    assert 0 < int(rows(ontology)[0][0]) < whole


def test_unknown_default_graph_is_empty_not_fetched(web: FlaskClient) -> None:
    resp = get(
        web, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": "http://127.0.0.1:9/data0.rdf"}
    )
    assert resp.status_code == 200 and rows(resp) == []


def test_named_graph_uri_limits_graph_patterns(web: FlaskClient) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = get(web, q, **{"named-graph-uri": f"{GCM}id/graph/ontology"})
    assert rows(resp) == [(f"{GCM}id/graph/ontology",)]


def test_browsers_get_the_query_page(web: FlaskClient) -> None:
    resp = web.get("/sparql?query=" + quote(ASK_20), headers={"Accept": BROWSER})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert b"<textarea" in resp.data and b"objective/20" in resp.data
    assert web.get("/sparql", headers={"Accept": BROWSER}).mimetype == "text/html"


def test_query_page_works_offline(web: FlaskClient) -> None:
    """Scripts and styles come from this server: the page works with no internet."""
    page = web.get("/sparql", headers={"Accept": BROWSER}).data.decode()
    resources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert resources and all(r.startswith("/static/") for r in resources)
    for r in resources:
        with web.get(r) as resp:  # a file response: close it
            assert resp.status_code == 200
    assert "cq01-round-table-objectives" in page  # the named queries as examples
