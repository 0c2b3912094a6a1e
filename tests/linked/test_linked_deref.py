"""Dereferencing as clients do it: the description in the default graph of every format, parsed
back by rdflib and pyoxigraph (pyld for JSON-LD), and ``Link`` headers a client can follow."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.linked.helpers import BASE, expand_to_graph, plain

RESOURCES = [
    "/id/objective/20",
    "/id/declaration/imrf-2022/paragraph/67",
    "/id/principle/child-sensitive",
    "/id/round-table/3",
    "/id/actor/iom",
]
TRIPLES = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}
QUADS = {"trig": "trig", "nquads": "nquads"}
OX_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _reference(ld, path: str) -> Graph:  # type: ignore[no-untyped-def]
    """The description as pyld reads the framed JSON-LD (the local context only)."""
    return expand_to_graph(ld.get(path, headers={"Accept": "application/ld+json"}).get_json())


def _ox_graph(quads: list[ox.Quad], default: bool) -> Graph:
    """The quads of pyoxigraph's parse (default graph, or every named graph) as an rdflib graph."""
    g = Graph()
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph) != default:
            continue
        s, p, o = q.subject, q.predicate, q.object
        if isinstance(o, ox.Literal):
            obj: URIRef | Literal = Literal(
                o.value,
                lang=o.language,
                datatype=None if o.language else URIRef(o.datatype.value),
            )
        else:
            obj = URIRef(o.value)
        g.add((URIRef(s.value), URIRef(p.value), obj))
    return plain(g)


@pytest.mark.parametrize("path", RESOURCES)
def test_every_format_has_the_description_in_its_default_graph(ld, path: str) -> None:  # type: ignore[no-untyped-def]
    reference = _reference(ld, path)
    assert len(reference) > 3
    subject = URIRef(BASE + path.lstrip("/"))
    assert (subject, None, None) in reference
    for name, rdflib_name in {**TRIPLES, **QUADS}.items():
        body = ld.get(path + "?format=" + name).data
        if name in QUADS:
            ds = Dataset().parse(data=body, format=rdflib_name)
            default = plain(ds.default_context)  # type: ignore[attr-defined]
        else:
            default = plain(Graph().parse(data=body, format=rdflib_name))
        assert isomorphic(default, reference), (path, name, "rdflib")
        parsed = list(ox.parse(body, OX_FORMAT[name]))
        assert isomorphic(_ox_graph(parsed, default=True), reference), (path, name, "pyoxigraph")


@pytest.mark.parametrize("name", sorted(QUADS))
def test_quad_formats_add_provenance_graphs_beside_the_default(ld, name: str) -> None:  # type: ignore[no-untyped-def]
    path = "/id/objective/20"
    body = ld.get(path + "?format=" + name).data
    quads = list(ox.parse(body, OX_FORMAT[name]))
    named = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert BASE + "id/graph/gcm-reference-objectives" in named
    assert BASE + "id/graph/gcm-reference-sdg-links" in named
    # every named-graph triple is also in the default graph, and nothing else is
    assert isomorphic(_ox_graph(quads, default=False), _ox_graph(quads, default=True))


def test_jsonld_parses_in_pyoxigraph_to_the_same_graph(ld) -> None:  # type: ignore[no-untyped-def]
    """pyoxigraph's own JSON-LD parser (it cannot fetch the context, so it gets it inline)."""
    import json

    from gcm_kg.linked.context import CONTEXT_FILE

    path = "/id/objective/20"
    doc = ld.get(path, headers={"Accept": "application/ld+json"}).get_json()
    doc["@context"] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    parsed = list(ox.parse(json.dumps(doc).encode(), ox.RdfFormat.JSON_LD))
    assert isomorphic(_ox_graph(parsed, default=True), _reference(ld, path))


_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[a-z]+="[^"]*")*)')


def _links(header: str) -> list[tuple[str, dict[str, str]]]:
    out = []
    for target, params in _LINK.findall(header):
        out.append((target, dict(re.findall(r'([a-z]+)="([^"]*)"', params))))
    return out


@pytest.mark.parametrize(
    "accept",
    ["text/turtle", "application/ld+json", "application/n-quads", "text/html", "application/json"],
)
def test_link_headers_name_alternates_context_and_description(ld, accept: str) -> None:  # type: ignore[no-untyped-def]
    path = "/id/objective/20"
    resp = ld.get(path, headers={"Accept": accept})
    links = _links(resp.headers["Link"])
    alternates = {p["type"]: t for t, p in links if p.get("rel") == "alternate"}
    offered = {
        "text/turtle",
        "application/ld+json",
        "text/html",
        "application/n-triples",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    }
    served = resp.mimetype
    assert set(alternates) == offered - {served}
    for media, target in alternates.items():  # each alternate answers in its own type
        other = ld.get(target)
        assert other.status_code == 200 and other.mimetype == media, target
    contexts = [t for t, p in links if p.get("rel") == "http://www.w3.org/ns/json-ld#context"]
    assert contexts == [BASE + "context.jsonld"]
    assert [t for t, p in links if p.get("rel") == "canonical"] == [BASE + "id/objective/20"]
    described = [t for t, p in links if p.get("rel") == "describedby"]
    assert described == ["/.well-known/void"]
    void = ld.get(described[0], headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    assert "void#Dataset" in void.get_data(as_text=True) or "void:Dataset" in void.get_data(
        as_text=True
    )
