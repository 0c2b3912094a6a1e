"""Answers of any backend, and other graphs, in every format of ``gcm_kg.formats``.

One writer per format for every backend: rdflib terms (the in-memory and remote stores, the
service description) are turned into pyoxigraph terms and written by the same code the query
workers use (``worker.select_body`` / ``boolean_body``) or by Oxigraph's own RDF serializers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from gcm_kg.formats import Format
from gcm_kg.rdf.terms import to_oxigraph
from gcm_kg.sparql import worker
from gcm_kg.store.base import QueryResult

PREFIXES = {
    "gcm": "https://w3id.org/gcm-kg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}


def graph(
    triples: Iterable[tuple[Node, Node, Node]],
    fmt: Format,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Triples of rdflib terms written by Oxigraph (prefixes used by Turtle and TriG)."""
    native = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in triples
    ]
    kind = getattr(ox.RdfFormat, str(fmt.oxigraph))
    short = (prefixes or PREFIXES) if kind in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(native, format=kind, prefixes=short) or b""


def document(g: Graph, fmt: Format) -> bytes:
    """A small graph document (the service description) written by rdflib, which nests blank
    nodes and keeps the graph's prefixes; quad formats put it in the default graph."""
    if fmt.quads:
        ds = Dataset()
        for prefix, ns in g.namespaces():
            ds.bind(prefix, ns)
        ds.default_graph += g
        out = ds.serialize(format=str(fmt.rdflib))
    else:
        out = g.serialize(format=str(fmt.rdflib))
    return out.encode("utf-8") if isinstance(out, str) else out


def serialize(
    result: QueryResult, fmt: Format, max_bytes: int | None = None, cut: worker.Cut | None = None
) -> bytes:
    """A backend-neutral QueryResult in ``fmt`` (the path for stores other than Oxigraph), at
    most ``max_bytes`` long: the rows that fit, and ``cut.bytes`` set when some did not."""
    if result.form == "ASK":
        return worker.boolean_body(bool(result.boolean), fmt.media_type)
    if result.form == "SELECT":
        rows = (
            [to_oxigraph(r[v]) if v in r else None for v in result.variables] for r in result.rows
        )
        return worker.select_body(
            result.variables, rows, fmt.media_type, max_bytes=max_bytes, cut=cut
        )
    native = (
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in result.triples
    )
    kind = getattr(ox.RdfFormat, str(fmt.oxigraph))
    short = PREFIXES if kind in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return worker.graph_body(native, kind, short, max_bytes=max_bytes, cut=cut)
