"""Serialize a resource description in the RDF formats of the format table.

Every format carries the description's triples in the *default* graph, because that is where a
client dereferencing the IRI looks (a link-traversal engine such as Comunica queries the
document's default graph). The quad formats (TriG, N-Quads) add, beside it, the same triples in
the named graph each comes from: its provenance.
"""

from __future__ import annotations

import json

from rdflib import Dataset, Graph

from gcm_kg.errors import NotAcceptable
from gcm_kg.formats import Format
from gcm_kg.linked.context import load
from gcm_kg.linked.describe import Description
from gcm_kg.linked.jsonld import frame

EXTRA_PREFIXES = {
    "id": "https://w3id.org/gcm-kg/id/",
    "sdg": "http://metadata.un.org/sdg/",
}


def bind_prefixes(graph: Graph | Dataset) -> None:
    for prefix, ns in {**load().prefixes, **EXTRA_PREFIXES}.items():
        graph.bind(prefix, ns, override=True, replace=True)


def serialize(desc: Description, fmt: Format, base_iri: str) -> bytes:
    """The description as bytes in ``fmt`` (UTF-8)."""
    if fmt.name == "jsonld":
        doc = frame(desc, base_iri)
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt.rdflib is None:
        raise NotAcceptable(f"{fmt.media_type} cannot carry a resource description")
    target: Graph | Dataset = desc.dataset(with_default=True) if fmt.quads else desc.graph()
    bind_prefixes(target)
    return target.serialize(format=fmt.rdflib, encoding="utf-8")
