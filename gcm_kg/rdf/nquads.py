"""Canonical N-Quads from rdflib quads, written by Oxigraph's serializer (strict escaping)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.term import Node

from gcm_kg.rdf.terms import to_oxigraph

DEFAULT_GRAPH_IDS = {"urn:x-rdflib:default"}


def quads_of(ds: Dataset) -> Iterable[tuple[Node, Node, Node, Node | None]]:
    yield from ds.quads()  # type: ignore[misc]


def to_nquads(quads: Iterable[tuple[Node, Node, Node, Node | None]], *, sort: bool = True) -> bytes:
    """Serialize quads; sorted (and so deterministic) unless ``sort`` is False."""
    out = []
    for s, p, o, g in quads:
        graph = (
            ox.NamedNode(str(g))
            if isinstance(g, URIRef) and str(g) not in DEFAULT_GRAPH_IDS
            else ox.DefaultGraph()
        )
        out.append(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph))  # type: ignore[arg-type]
    data = ox.serialize(out, format=ox.RdfFormat.N_QUADS) or b""
    if not sort:
        return data
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
