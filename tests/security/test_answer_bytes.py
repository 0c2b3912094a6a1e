"""Every answer has a byte limit: the rows (or triples) that fit are sent, the document stays
complete and readable, and the cut is signalled like the row limit's (``Results-Truncated``,
with ``Results-Byte-Limit`` naming the limit). Never a 500, never a MemoryError."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from gcm_kg.config import Settings
from gcm_kg.sparql import worker
from gcm_kg.store import Store
from gcm_kg.web.app import executor
from tests.security.hostile import leaks, snapshot
from tests.security.served import Served, disk_store, production_app

CAP = 20_000
ALL = "SELECT * WHERE { ?s ?p ?o }"
GRAPH = "CONSTRUCT WHERE { ?s ?p ?o }"
#: one row far larger than the cap (a 300-byte query asking for megabytes)
HUGE_ROW = (
    "SELECT (GROUP_CONCAT(CONCAT(STR(?s), STR(?p), STR(?o), STR(?s), STR(?o)); separator='|') "
    "AS ?all) WHERE { ?s ?p ?o }"
)


def _json(data: bytes) -> int:
    return len(json.loads(data)["results"]["bindings"])


def _xml(data: bytes) -> int:
    ns = "{http://www.w3.org/2005/sparql-results#}"
    return len(ET.fromstring(data).findall(f"{ns}results/{ns}result"))


def _csv(data: bytes) -> int:
    return len(list(csv.reader(io.StringIO(data.decode("utf-8"))))) - 1


def _tsv(data: bytes) -> int:
    return len(data.decode("utf-8").splitlines()) - 1


def _rdf(fmt: ox.RdfFormat) -> Callable[[bytes], int]:
    return lambda data: len(list(ox.parse(data, format=fmt)))


@dataclass(frozen=True)
class Case:
    id: str
    query: str
    accept: str
    count: Callable[[bytes], int]  # parses the answer, counts its rows or triples
    rows: bool = True  # some rows fit (False: the one row is larger than the cap)


CASES = [
    Case("SELECT as JSON", ALL, "application/sparql-results+json", _json),
    Case("SELECT as XML", ALL, "application/sparql-results+xml", _xml),
    Case("SELECT as CSV", ALL, "text/csv", _csv),
    Case("SELECT as TSV", ALL, "text/tab-separated-values", _tsv),
    Case("CONSTRUCT as Turtle", GRAPH, "text/turtle", _rdf(ox.RdfFormat.TURTLE)),
    Case("CONSTRUCT as N-Triples", GRAPH, "application/n-triples", _rdf(ox.RdfFormat.N_TRIPLES)),
    Case("CONSTRUCT as RDF/XML", GRAPH, "application/rdf+xml", _rdf(ox.RdfFormat.RDF_XML)),
    Case("CONSTRUCT as JSON-LD", GRAPH, "application/ld+json", _rdf(ox.RdfFormat.JSON_LD)),
    Case("one row over the cap", HUGE_ROW, "application/sparql-results+json", _json, False),
]


@pytest.fixture(scope="module", params=("workers", "memory"))
def capped(
    request: pytest.FixtureRequest,
    settings: Settings,
    nquads: bytes,
    memory_store: Store,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    # the byte cap is under test, not the time limit: a busy machine (or the suite's other
    # worker) must not turn a slow but complete answer into a 503
    limits = {"result_max_bytes": CAP, "query_timeout": 60.0}
    if request.param == "memory":
        app = production_app(settings, memory_store, **limits)
        yield Served(app, memory_store, "memory")
        executor(app).close()
        return
    store = disk_store(nquads, tmp_path_factory.mktemp("capped"))
    app = production_app(settings, store, **limits)
    yield Served(app, store, "oxigraph")
    executor(app).close()
    store.close()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_an_answer_is_cut_at_the_byte_limit(capped: Served, case: Case) -> None:
    before = snapshot(capped.store)
    path = "/sparql?query=" + quote(case.query)
    resp = capped.app.test_client().get(path, headers={"Accept": case.accept})
    body = resp.get_data()
    assert resp.status_code == 200, body[:300]
    assert len(body) <= CAP
    assert resp.headers["Results-Truncated"] == "true"
    assert resp.headers["Results-Byte-Limit"] == str(CAP)
    assert "Results-Byte-Limit" in resp.headers["Access-Control-Expose-Headers"]
    n = case.count(body)  # the cut answer is a whole document
    assert (n > 0) if case.rows else (n == 0)
    assert not leaks(body.decode("utf-8", "replace"), path)
    assert snapshot(capped.store) == before


def test_an_answer_under_the_limit_is_whole(capped: Served) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
    resp = capped.app.test_client().get(
        "/sparql?query=" + quote(query), headers={"Accept": "application/json"}
    )
    assert resp.status_code == 200
    assert "Results-Truncated" not in resp.headers
    assert _json(resp.get_data()) == 3


def test_the_row_writer_stops_reading_rows_at_the_limit() -> None:
    """The writer pulls rows one at a time and stops at the limit: an endless row source is
    cut, never held whole."""

    def endless() -> Iterator[list[ox.Literal]]:
        while True:
            yield [ox.Literal("x" * 100)]

    cut = worker.Cut()
    body = worker.select_body(
        ["v"], endless(), "application/sparql-results+json", max_bytes=CAP, cut=cut
    )
    assert cut.bytes and not cut.rows
    assert len(body) <= CAP
    assert _json(body) > 100


def test_the_writers_match_the_whole_document_when_nothing_is_cut() -> None:
    rows = [[ox.NamedNode("urn:a"), None], [ox.Literal('é, "q"\n'), ox.BlankNode("b1")]]
    for media_type, count in [
        ("application/sparql-results+json", _json),
        ("application/sparql-results+xml", _xml),
        ("text/csv", _csv),
        ("text/tab-separated-values", _tsv),
    ]:
        cut = worker.Cut()
        body = worker.select_body(["x", "y"], rows, media_type, max_bytes=CAP, cut=cut)
        assert not cut.bytes and count(body) == 2, media_type


def test_a_worker_out_of_memory_while_writing_is_a_503() -> None:
    """The worker reports a MemoryError as "memory"; the parent makes it the documented 503."""
    from gcm_kg.errors import QueryMemoryLimit
    from gcm_kg.sparql.pool import answer_of

    with pytest.raises(QueryMemoryLimit) as refused:
        answer_of({"ok": False, "kind": "memory", "message": "out of memory"})
    assert refused.value.status == 503


def test_a_row_known_too_large_is_not_written() -> None:
    """One literal larger than the limit is cut from its size alone, before any text of it."""
    cut = worker.Cut()
    body = worker.select_body(
        ["v"], [[ox.Literal("x" * (2 * CAP))]], "text/csv", max_bytes=CAP, cut=cut
    )
    assert cut.bytes and _csv(body) == 0
