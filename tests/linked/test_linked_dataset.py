"""VoID/DCAT description and full downloads: licence, sources, counts, sizes, checksums."""

from __future__ import annotations

import gzip
import hashlib

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from gcm_kg.linked.dumps import DumpCache
from gcm_kg.store import Store
from tests.linked.helpers import BASE

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef(BASE + "dataset")


def _void(ld) -> Graph:  # type: ignore[no-untyped-def]
    resp = ld.get("/.well-known/void")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    return Graph().parse(data=resp.get_data(as_text=True), format="turtle")


def test_void_licence_and_attributed_sources(ld) -> None:
    g = _void(ld)
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    sources = set(g.objects(DATASET, DCTERMS.source))
    assert URIRef(BASE + "id/document/sdg-kos") in sources
    assert URIRef(BASE + "id/document/imrf-progress-declaration-draft-resolution") in sources
    rights = str(next(g.objects(DATASET, DCTERMS.rights)))
    assert "CC BY 4.0" in rights and "SDG" in rights and "United Nations" in rights


def test_the_rights_name_each_licensed_package_an_action_was_taken_from(
    ld, oxigraph_store: Store
) -> None:  # type: ignore[no-untyped-def]
    """An Apache-2.0 source must be attributed where the dataset's terms are stated."""
    rows = oxigraph_store.query(
        "SELECT DISTINCT ?s WHERE { ?a a <https://w3id.org/gcm-kg/ontology#Action> ; "
        "<http://purl.org/dc/terms/source> ?s }"
    ).rows
    packages = {
        str(r["s"]).split("(", 1)[1].split(",", 1)[0] for r in rows if "Apache" in str(r["s"])
    }
    assert packages == {"iomeval 0.1.4"}
    rights = str(next(_void(ld).objects(DATASET, DCTERMS.rights)))
    assert all(p in rights and "Apache-2.0" in rights for p in packages)


def test_void_counts_match_the_store(ld, oxigraph_store: Store) -> None:
    g = _void(ld)
    assert int(next(g.objects(DATASET, VOID.triples))) == oxigraph_store.count()
    subsets = set(g.objects(DATASET, VOID.subset))
    assert set(oxigraph_store.named_graphs()) == subsets
    total = sum(int(next(g.objects(s, VOID.triples))) for s in subsets)
    assert total == oxigraph_store.count()


def test_each_download_has_its_true_size_and_checksum(ld) -> None:
    g = _void(ld)
    dists = list(g.objects(DATASET, DCAT.distribution))
    assert {str(d).rsplit("/", 1)[1] for d in dists} == {
        "gcm-kg.trig",
        "gcm-kg.nq.gz",
        "gcm-kg.jsonld",
    }
    for dist in dists:
        body = ld.get("/dataset/" + str(dist).rsplit("/", 1)[1]).data
        assert int(next(g.objects(dist, DCAT.byteSize))) == len(body)
        checksum = next(g.objects(dist, SPDX.checksum))
        assert next(g.objects(checksum, SPDX.algorithm)) == SPDX.checksumAlgorithm_sha256
        assert (
            str(next(g.objects(checksum, SPDX.checksumValue))) == hashlib.sha256(body).hexdigest()
        )


def test_downloads_hold_the_whole_graph(ld, oxigraph_store: Store) -> None:
    n = oxigraph_store.count()
    nq = gzip.decompress(ld.get("/dataset/gcm-kg.nq.gz").data)
    assert len(list(Dataset().parse(data=nq, format="nquads").quads())) == n
    trig = ld.get("/dataset/gcm-kg.trig")
    assert trig.mimetype == "application/trig"
    assert len(list(Dataset().parse(data=trig.data, format="trig").quads())) == n
    doc = ld.get("/dataset/gcm-kg.jsonld")
    assert doc.mimetype == "application/ld+json"
    parsed = Dataset().parse(data=doc.data, format="json-ld")
    assert len(list(parsed.quads())) == n


def test_download_headers(ld) -> None:
    resp = ld.get("/dataset/gcm-kg.nq.gz")
    assert resp.mimetype == "application/gzip"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.headers["Digest"].startswith("sha-256=")
    assert (
        ld.get("/dataset/gcm-kg.nq.gz", headers={"If-None-Match": resp.headers["ETag"]}).status_code
        == 304
    )


def test_unknown_download_is_404(ld) -> None:
    for name in ("gcm-kg.rdf", "..%2fmanifest.json", "manifest.json"):
        assert ld.get("/dataset/" + name).status_code == 404


def test_dumps_are_byte_identical_for_the_same_content(oxigraph_store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = DumpCache(tmp_path / "a").dumps(oxigraph_store)
    b = DumpCache(tmp_path / "b").dumps(oxigraph_store)
    assert [(d.name, d.sha256, d.size) for d in a] == [(d.name, d.sha256, d.size) for d in b]


def test_dumps_are_generated_once_per_content(oxigraph_store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = DumpCache(tmp_path)
    folder = cache.folder(oxigraph_store)
    stamp = (folder / "gcm-kg.trig").stat().st_mtime_ns
    assert DumpCache(tmp_path).folder(oxigraph_store) == folder  # a second process reuses it
    assert (folder / "gcm-kg.trig").stat().st_mtime_ns == stamp


def test_dumps_follow_the_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.store import open_store

    store = open_store("memory")
    g = URIRef(BASE + "id/graph/test")
    store.load(b'<http://a.example/s> <http://a.example/p> "1" .', "application/n-triples", graph=g)
    cache = DumpCache(tmp_path)
    before = {d.name: d.sha256 for d in cache.dumps(store)}
    store.load(b'<http://a.example/s> <http://a.example/p> "2" .', "application/n-triples", graph=g)
    after = {d.name: d.sha256 for d in cache.dumps(store)}
    assert all(before[k] != after[k] for k in before)
    assert next(d for d in cache.dumps(store) if d.name == "gcm-kg.nq.gz").quads == 2


def test_dataset_page_for_people(ld) -> None:
    page = ld.get("/dataset", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "CC BY 4.0" in page
    assert 'href="/dataset/gcm-kg.trig"' in page
    assert "SDG Knowledge Organization System" in page


def test_dataset_description_as_json_ld(ld) -> None:
    resp = ld.get("/dataset", headers={"Accept": "application/ld+json"})
    g = Graph().parse(data=resp.get_data(as_text=True), format="json-ld")
    assert (DATASET, DCTERMS.title, None) in g
    assert any(isinstance(o, Literal) for o in g.objects(DATASET, VOID.triples))
