"""The W3C SPARQL 1.1 Protocol tests, driven from their manifest in ``shared/w3c/protocol``.

Each test's requests are replayed against /sparql on a fresh store holding the test's graph
data (``ut:graphData``, named by their ``rdfs:label``), and the machine-readable expectations
(status class, result format, boolean) are checked. The manifest's 20 query tests must pass on
every embedded backend. Of its 14 update tests, the 7 that expect a 4xx are replayed too (a
read-only endpoint must refuse them and keep its data); the 7 that expect an update to succeed
belong to curation and are not collected here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.query import Result

from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from tests.helpers import make_app

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
BOOLEAN_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv": "csv", "text/tab-separated-values": "tsv"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # acceptable status classes: 2, 3, 4…
    format: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    requests: list[Request]
    graphs: dict[str, Path] = field(default_factory=dict)  # graph name → data file

    @property
    def is_update(self) -> bool:
        return "update" in self.name

    @property
    def expects_refusal(self) -> bool:
        return all(r.statuses == {4} for r in self.requests)


def _list(g: Graph, node: object) -> list:  # type: ignore[type-arg]
    return list(Collection(g, node)) if node is not None else []  # type: ignore[arg-type]


def load_manifest(shared: Path) -> list[ProtocolTest]:
    folder = shared / "w3c" / "protocol"
    manifest = folder / "manifest.ttl"
    g = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _list(g, g.value(root, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for req in _list(g, g.value(action, HT.requests)):
            body = g.value(req, HT.body)
            headers = {
                str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                for h in _list(g, g.value(req, HT.headers))
            }
            resp = g.value(req, HT.resp)
            encoded = None
            if body is not None:
                encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
                encoded = str(g.value(body, CNT.chars)).encode(encoding)
            statuses = {int(str(s)[-3]) for s in g.objects(resp, MF.expectedStatus)}
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            requests.append(
                Request(
                    str(g.value(req, HT.methodName)),
                    str(g.value(req, HT.absolutePath)),
                    headers,
                    encoded,
                    statuses,
                    str(fmt) if fmt is not None else None,
                    boolean.toPython() if boolean is not None else None,
                )
            )
        graphs = {
            str(g.value(d, RDFS.label)): folder / Path(str(g.value(d, UT.graph))).name
            for d in g.objects(entry, UT.graphData)
        }
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[1], requests, graphs))
    return tests


TESTS = load_manifest(Settings.from_env().shared_dir)
QUERY_TESTS = [t for t in TESTS if not t.is_update]
REFUSED_UPDATES = [t for t in TESTS if t.is_update and t.expects_refusal]


def test_manifest_has_the_tests_we_count() -> None:
    assert len(TESTS) == 34
    assert len(QUERY_TESTS) == 20
    assert len(REFUSED_UPDATES) == 7


@pytest.fixture(params=["oxigraph:", "memory"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


def _store(kind: str, test: ProtocolTest) -> Store:
    store = open_store(kind)
    for name, path in test.graphs.items():
        store.load(path.read_bytes(), "application/n-triples", URIRef(name))
    return store


def _client(settings: Settings, store: Store) -> Iterator:  # type: ignore[type-arg]
    yield make_app(settings, store, query_processes=0).test_client()


def _check(resp, req: Request) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code // 100 in req.statuses, (resp.status_code, resp.data[:300])
    if req.format == "boolean":
        fmt = BOOLEAN_TYPES[resp.mimetype]
        answer = Result.parse(io.BytesIO(resp.data), format=fmt).askAnswer
        if req.boolean is not None:
            assert answer is req.boolean
    elif req.format == "tabular":
        fmt = TABULAR_TYPES[resp.mimetype]
        assert Result.parse(io.BytesIO(resp.data), format=fmt).type == "SELECT"
    elif req.format == "RDF":
        Graph().parse(data=resp.data, format=RDF_TYPES[resp.mimetype])


def _send(client, req: Request):  # type: ignore[no-untyped-def]
    path = req.path.replace("/sparql/", "/sparql", 1)
    return client.open(path, method=req.method, headers=req.headers, data=req.body)


@pytest.mark.parametrize("test", QUERY_TESTS, ids=[t.name for t in QUERY_TESTS])
def test_query(test: ProtocolTest, backend: str, settings: Settings) -> None:
    store = _store(backend, test)
    for client in _client(settings, store):
        for req in test.requests:
            _check(_send(client, req), req)


@pytest.mark.parametrize("test", REFUSED_UPDATES, ids=[t.name for t in REFUSED_UPDATES])
def test_update_is_refused(test: ProtocolTest, backend: str, settings: Settings) -> None:
    store = _store(backend, test)
    store.load(b"<urn:s> <urn:p> <urn:o> .\n", "application/n-triples", URIRef("urn:g"))
    before = store.dump()
    for client in _client(settings, store):
        for req in test.requests:
            _check(_send(client, req), req)
    assert store.dump() == before
