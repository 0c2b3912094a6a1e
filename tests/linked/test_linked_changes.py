"""``/changes``: the change feed, and a portal that mirrors the graph from a dump plus the feed."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph

from gcm_kg.config import Settings
from gcm_kg.linked import changes
from gcm_kg.store import Store, open_store
from gcm_kg.writes import submissions as curation
from tests.helpers import turtle_triples
from tests.linked.helpers import client_of

ID = "https://w3id.org/gcm-kg/id/"
AS = "https://www.w3.org/ns/activitystreams#"
AS2_CONTEXT = Path(jsonld.__file__).parent / "documentloader/frozen/bundled/activitystreams.jsonld"
OK = SimpleNamespace(conforms=True, warnings=lambda: [], to_json=lambda: {"conforms": True})


@pytest.fixture
def store(nquads: bytes) -> Iterator[Store]:
    s = open_store("oxigraph:")
    s.replace_all(nquads)
    yield s
    s.close()


def _pledge(n: int) -> list[ox.Triple]:
    return turtle_triples(
        f"""@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
        <{ID}pledge/feed-test-{n}> a gcm:Pledge ;
            <http://www.w3.org/2000/01/rdf-schema#label> "Feed test pledge {n}"@en ;
            gcm:supportsObjective <{ID}objective/{n}> ."""
    )


def _submit(store: Store, n: int, tmp_path: Path, curator: str = "ana") -> str:
    done = curation.submit(
        store,
        _pledge(n),
        curator=curator,
        validator=lambda g, s: OK,
        audit_log=tmp_path / "audit.log",
    )
    return done.ident


def _all_items(client, since: str | None = None) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every activity, following the collection's pages (bounded)."""
    resp = client.get("/changes", query_string={"since": since} if since else {})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    collection = resp.get_json()
    url, items = collection["first"], []
    for _ in range(1000):
        parts = urlsplit(url)
        page = client.get(parts.path, query_string=parts.query).get_json()
        items += page["orderedItems"]
        if "next" not in page:
            break
        url = page["next"]
    assert len(items) == collection["totalItems"]
    return items


def test_a_fresh_build_is_one_rebuild_naming_the_source_graphs(
    linked_settings: Settings, store: Store
) -> None:
    client = client_of(linked_settings, store)
    collection = client.get("/changes").get_json()
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] == 1
    (rebuild,) = _all_items(client)
    assert rebuild["type"] == "Update"
    assert f"{ID}graph/gcm-reference-objectives" in rebuild["object"]
    assert "read the dump again" in rebuild["summary"]
    again = _all_items(client)  # the same rebuild: the same id
    assert [i["id"] for i in again] == [rebuild["id"]]


def test_writes_and_retractions_become_activities_newest_first(
    linked_settings: Settings, store: Store, tmp_path: Path
) -> None:
    client = client_of(linked_settings, store)
    client.get("/changes")  # the rebuild record
    first = _submit(store, 2, tmp_path)
    second = _submit(store, 3, tmp_path, curator="bo")
    curation.retract(store, first, curator="ana", audit_log=tmp_path / "audit.log")
    items = _all_items(client)
    kinds = [(i["type"], i["object"]) for i in items]
    g1, g2 = f"{ID}submission/{first}", f"{ID}submission/{second}"
    assert ("Delete", g1) in kinds and ("Create", g1) in kinds and ("Create", g2) in kinds
    assert kinds.index(("Delete", g1)) < kinds.index(("Create", g1))  # newest first
    assert [i["published"] for i in items] == sorted((i["published"] for i in items), reverse=True)
    created = next(i for i in items if i["object"] == g2)
    assert created["generated"] == [f"{ID}pledge/feed-test-3"]
    assert created["actor"]["name"] == "bo" and created["target"] == f"{ID}graph/submissions"
    deleted = next(i for i in items if i["type"] == "Delete")
    assert deleted["invalidated"] == [f"{ID}pledge/feed-test-2"]


def test_since_keeps_the_later_activities(
    linked_settings: Settings, store: Store, tmp_path: Path
) -> None:
    client = client_of(linked_settings, store)
    everything = _all_items(client)
    _submit(store, 4, tmp_path)
    newest = _all_items(client)[0]
    later = _all_items(client, since=newest["published"])
    assert newest["id"] in {i["id"] for i in later}
    assert all(i["published"] >= newest["published"] for i in later)
    assert not {i["id"] for i in later} & {
        i["id"] for i in everything if i["published"] < newest["published"]
    }


def test_pages_link_in_order(
    linked_settings: Settings, store: Store, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(changes, "PAGE_SIZE", 2)
    client = client_of(linked_settings, store)
    for n in range(5, 9):
        _submit(store, n, tmp_path)
    collection = client.get("/changes").get_json()
    assert collection["totalItems"] == 5 and collection["last"].endswith("?page=3")
    page2 = client.get("/changes?page=2").get_json()
    assert page2["type"] == "OrderedCollectionPage" and page2["startIndex"] == 2
    assert page2["prev"].endswith("?page=1") and page2["next"].endswith("?page=3")
    assert len(_all_items(client)) == 5


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("?page=0", "page"),
        ("?page=x", "page"),
        ("?since=yesterday", "ISO 8601"),
        ("?page=1&page=2", "once"),
    ],
)
def test_bad_parameters_are_400(
    linked_settings: Settings, store: Store, query: str, word: str
) -> None:
    resp = client_of(linked_settings, store).get("/changes" + query)
    assert resp.status_code == 400 and word in resp.get_json()["detail"]


def test_a_page_past_the_last_is_404(linked_settings: Settings, store: Store) -> None:
    resp = client_of(linked_settings, store).get("/changes?page=99")
    assert resp.status_code == 404 and "past the last page" in resp.get_json()["detail"]


def test_etag_and_last_modified(linked_settings: Settings, store: Store, tmp_path: Path) -> None:
    client = client_of(linked_settings, store)
    first = client.get("/changes?page=1")
    assert first.headers["ETag"] and first.headers["Last-Modified"].endswith("GMT")
    assert "Accept" in first.headers["Vary"]
    assert (
        client.get("/changes?page=1", headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 304
    )
    _submit(store, 9, tmp_path)
    again = client.get("/changes?page=1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    newest = again.get_json()["orderedItems"][0]["published"]
    from email.utils import parsedate_to_datetime

    assert (
        parsedate_to_datetime(again.headers["Last-Modified"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        == newest
    )


def _as2_loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
    assert url.rstrip("/") == changes.AS_CONTEXT, url  # the feed names no other context
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(AS2_CONTEXT.read_text(encoding="utf-8")),
    }


def test_the_feed_is_activitystreams_json_ld(
    linked_settings: Settings, store: Store, tmp_path: Path
) -> None:
    client = client_of(linked_settings, store)
    ident = _submit(store, 10, tmp_path)
    resp = client.get("/changes?page=1")
    assert resp.mimetype == "application/ld+json"
    assert 'profile="https://www.w3.org/ns/activitystreams"' in resp.headers["Content-Type"]
    nquads = jsonld.to_rdf(
        resp.get_json(), {"documentLoader": _as2_loader, "format": "application/n-quads"}
    )
    graph = Graph().parse(data=nquads, format="nt")
    parsed = list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(graph) > 10
    creates = {str(s) for s, _, o in graph.triples((None, None, None)) if str(o) == AS + "Create"}
    assert len(creates) == 1
    (create,) = creates
    generated = {
        str(o)
        for s, p, o in graph
        if str(s) == create and str(p) == "http://www.w3.org/ns/prov#generated"
    }
    assert generated == {f"{ID}pledge/feed-test-10"}
    obj = {str(o) for s, p, o in graph if str(s) == create and str(p) == AS + "object"}
    assert obj == {f"{ID}submission/{ident}"}
    assert (
        client.get("/changes", headers={"Accept": "application/activity+json"}).mimetype
        == "application/activity+json"
    )


# -- a portal: mirror the graph from the dump, then follow the feed


class Portal:
    """Keeps a copy of the graph: the dump once, then every activity of the feed it has not
    applied yet, oldest first."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.mirror = ox.Store()
        self.applied: set[str] = set()
        self.since: str | None = None
        self.reload()

    def reload(self) -> None:
        """The feed's position first, then the dump: what happens between comes again."""
        items = _all_items(self.client)
        data = gzip.decompress(self.client.get("/dataset/gcm-kg.nq.gz").data)
        self.mirror.clear()
        self.mirror.bulk_load(data, ox.RdfFormat.N_QUADS)
        self.applied = {i["id"] for i in items}
        self.since = items[0]["published"] if items else None

    def _fetch(self, graph: str) -> None:
        node = ox.NamedNode(graph)
        if self.mirror.contains_named_graph(node):
            self.mirror.remove_graph(node)
        resp = self.client.get(
            "/graphs", query_string={"graph": graph}, headers={"Accept": "application/n-triples"}
        )
        if resp.status_code == 404:
            return
        assert resp.status_code == 200, resp.get_data(as_text=True)
        for t in ox.parse(resp.data, ox.RdfFormat.N_TRIPLES):
            self.mirror.add(ox.Quad(t.subject, t.predicate, t.object, node))

    def sync(self) -> int:
        items = [i for i in _all_items(self.client, self.since) if i["id"] not in self.applied]
        for item in reversed(items):
            if item["type"] == "Update":
                self.reload()
                return len(items)
            self._fetch(item["object"])
            self._fetch(item["target"])
            self.applied.add(item["id"])
        if items:
            self.since = items[0]["published"]
        return len(items)


def _graphs(quads: list[ox.Quad]) -> dict[str, Graph]:
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def _same(a: list[ox.Quad], b: list[ox.Quad]) -> bool:
    """The same graphs, each isomorphic (blank nodes are renamed by every round trip)."""
    from rdflib.compare import isomorphic

    ga, gb = _graphs(a), _graphs(b)
    differ = sorted(
        k for k in set(ga) | set(gb) if k not in ga or k not in gb or not isomorphic(ga[k], gb[k])
    )
    assert not differ, [(k, len(ga.get(k, ())), len(gb.get(k, ()))) for k in differ]
    return True


def test_a_portal_mirrors_the_store_from_the_dump_and_the_feed(
    linked_settings: Settings, store: Store, tmp_path: Path
) -> None:
    from gcm_kg.writes import graphs

    client = client_of(linked_settings, store)
    portal = Portal(client)
    a = _submit(store, 11, tmp_path)
    _submit(store, 12, tmp_path, curator="bo")
    assert portal.sync() == 2
    curation.retract(store, a, curator="ana", audit_log=tmp_path / "audit.log")
    own = "https://example.org/ana/notes"
    triples = list(
        ox.parse(
            f'<{ID}pledge/feed-test-13> <http://www.w3.org/2000/01/rdf-schema#label> "Note"@en .'.encode(),
            ox.RdfFormat.N_TRIPLES,
        )
    )
    change_ok = lambda added, gone, s: OK  # noqa: E731
    graphs.write(
        store,
        "PUT",
        ox_iri(own),
        triples,
        curator="ana",
        check=change_ok,
        audit_log=tmp_path / "audit.log",
        bases=(linked_settings.base_iri,),
    )
    _submit(store, 14, tmp_path)
    graphs.write(
        store,
        "DELETE",
        ox_iri(own),
        [],
        curator="ana",
        check=change_ok,
        audit_log=tmp_path / "audit.log",
        bases=(linked_settings.base_iri,),
    )
    assert portal.sync() >= 3
    assert _same(list(portal.mirror), list(store_quads(store)))
    # a rebuild: the store is loaded from another build (no change records); the portal reloads
    records = ox.NamedNode(f"{ID}graph/submissions")
    rebuilt = [
        q
        for q in store_quads(store)
        if q.graph_name.value.startswith(f"{ID}graph/") and q.graph_name != records
    ]
    prov = ox.NamedNode(f"{ID}graph/provenance")
    doc = ox.NamedNode(f"{ID}document/extra")
    rebuilt += [
        ox.Quad(
            ox.NamedNode(f"{ID}graph/extra"),
            ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"),
            doc,
            prov,
        ),
        ox.Quad(
            doc, ox.NamedNode("https://w3id.org/gcm-kg/ontology#sha256"), ox.Literal("00"), prov
        ),
    ]
    store.replace_all(ox.serialize(rebuilt, format=ox.RdfFormat.N_QUADS) or b"")
    assert portal.sync() >= 1
    assert _same(list(portal.mirror), list(store_quads(store)))


def ox_iri(iri: str):  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    return URIRef(iri)


def store_quads(store: Store) -> list[ox.Quad]:
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    from gcm_kg.rdf.terms import to_oxigraph

    return [
        ox.Quad(to_oxigraph(r["s"]), to_oxigraph(r["p"]), to_oxigraph(r["o"]), to_oxigraph(r["g"]))  # type: ignore[arg-type]
        for r in rows
    ]
