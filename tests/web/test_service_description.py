"""The W3C SPARQL 1.1 Service Description tests (manifest in ``shared/w3c/service-description``).

The manifest names three tests without machine-readable expectations; each name maps to the
check below, and a manifest entry without a check fails, so none is skipped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pyshacl import validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from gcm_kg.config import Settings
from gcm_kg.formats import FORMATS
from gcm_kg.sparql.description import FORMAT_IRIS, FORMATS_NS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHAPES = Path(__file__).parents[1] / "data" / "service-description-shapes.ttl"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


def description(web: FlaskClient, accept: str = "text/turtle") -> Graph:
    resp = web.get("/sparql", headers={"Accept": accept})
    assert resp.status_code == 200
    return Graph().parse(data=resp.data, format=RDF_TYPES[resp.mimetype])


def returns_rdf(web: FlaskClient) -> None:
    for accept in RDF_TYPES:
        g = description(web, accept)
        assert (None, RDF.type, SD.Service) in g


def has_endpoint_triple(web: FlaskClient) -> None:
    g = description(web)
    service = g.value(None, RDF.type, SD.Service, any=False)
    assert g.value(service, SD.endpoint) == URIRef("http://localhost/sparql")


def conforms_to_schema(web: FlaskClient) -> None:
    conforms, _, report = validate(
        description(web), shacl_graph=Graph().parse(SHAPES, format="turtle")
    )
    assert conforms, report


CHECKS: dict[str, Callable[[FlaskClient], None]] = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}


def manifest_entries(shared: Path) -> list[str]:
    path = shared / "w3c" / "service-description" / "manifest.ttl"
    g = Graph().parse(path, format="turtle", publicID=path.as_uri())
    root = next(g.subjects(RDF.type, MF.Manifest))
    return [str(e).rsplit("#", 1)[1] for e in Collection(g, g.value(root, MF.entries))]


ENTRIES = manifest_entries(Settings.from_env().shared_dir)


def test_every_manifest_entry_has_a_check() -> None:
    assert ENTRIES and set(ENTRIES) == set(CHECKS)


@pytest.mark.parametrize("name", ENTRIES)
def test_service_description(name: str, web: FlaskClient) -> None:
    CHECKS[name](web)


def test_description_lists_every_format_the_endpoint_writes(web: FlaskClient) -> None:
    g = description(web)
    listed = set(g.objects(None, SD.resultFormat))
    assert listed == {URIRef(FORMATS_NS + FORMAT_IRIS[f.media_type]) for f in FORMATS}


def test_description_does_not_claim_federation_or_dereferencing(web: FlaskClient) -> None:
    features = set(description(web).objects(None, SD.feature))
    assert SD.UnionDefaultGraph in features
    assert not features & {SD.BasicFederatedQuery, SD.DereferencesURIs}
