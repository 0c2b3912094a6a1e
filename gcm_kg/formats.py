"""One format table: media type ↔ names ↔ extension ↔ which query forms it serves.

Content negotiation, the service description, file loading and the dumps all read this table,
and so do the media type → pyoxigraph format maps of the stores and the query workers
(``engine_formats``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

RESULTS = "results"  # SELECT and ASK
GRAPH = "graph"  # CONSTRUCT and DESCRIBE, and RDF documents


@dataclass(frozen=True)
class Format:
    media_type: str
    name: str  # short name for ?format= and --format
    extension: str
    serves: str  # RESULTS or GRAPH
    rdflib: str | None = None  # rdflib parser/serializer name
    oxigraph: str | None = None  # pyoxigraph RdfFormat / QueryResultsFormat attribute
    quads: bool = False  # carries named graphs
    aliases: tuple[str, ...] = ()


FORMATS: tuple[Format, ...] = (
    Format(
        "application/sparql-results+json",
        "json",
        "srj",
        RESULTS,
        "json",
        "JSON",
        aliases=("application/json",),
    ),
    Format(
        "application/sparql-results+xml",
        "xml",
        "srx",
        RESULTS,
        "xml",
        "XML",
        aliases=("application/xml",),
    ),
    Format("text/csv", "csv", "csv", RESULTS, "csv", "CSV"),
    Format("text/tab-separated-values", "tsv", "tsv", RESULTS, "tsv", "TSV"),
    Format(
        "text/turtle", "turtle", "ttl", GRAPH, "turtle", "TURTLE", aliases=("application/x-turtle",)
    ),
    Format(
        "application/n-triples", "ntriples", "nt", GRAPH, "nt", "N_TRIPLES", aliases=("text/plain",)
    ),
    Format("application/ld+json", "jsonld", "jsonld", GRAPH, "json-ld", "JSON_LD"),
    Format("application/rdf+xml", "rdfxml", "rdf", GRAPH, "xml", "RDF_XML"),
    Format("application/trig", "trig", "trig", GRAPH, "trig", "TRIG", quads=True),
    Format("application/n-quads", "nquads", "nq", GRAPH, "nquads", "N_QUADS", quads=True),
)

BY_MEDIA_TYPE: dict[str, Format] = {}
for _f in FORMATS:
    BY_MEDIA_TYPE[_f.media_type] = _f
    for _alias in _f.aliases:
        BY_MEDIA_TYPE.setdefault(_alias, _f)
BY_NAME = {f.name: f for f in FORMATS}
BY_EXTENSION = {f.extension: f for f in FORMATS} | {
    "ttl": BY_NAME["turtle"],
    "json": BY_NAME["jsonld"],
    "owl": BY_NAME["rdfxml"],
    "xml": BY_NAME["rdfxml"],
}


def for_results() -> list[Format]:
    return [f for f in FORMATS if f.serves == RESULTS]


def for_graphs() -> list[Format]:
    return [f for f in FORMATS if f.serves == GRAPH]


def engine_formats(*names: str, aliases: bool = False) -> dict[str, ox.RdfFormat]:
    """Media type → pyoxigraph RDF format for the RDF formats named (all when none are), with
    their alias media types too if ``aliases``."""
    chosen = [f for f in for_graphs() if f.oxigraph and (not names or f.name in names)]
    return {
        mt: getattr(ox.RdfFormat, str(f.oxigraph))
        for f in chosen
        for mt in (f.media_type, *(f.aliases if aliases else ()))
    }


def lookup(value: str) -> Format | None:
    """A format by media type (parameters ignored), short name or extension."""
    key = value.split(";", 1)[0].strip().lower()
    return BY_MEDIA_TYPE.get(key) or BY_NAME.get(key) or BY_EXTENSION.get(key.lstrip("."))


def resolve(value: str, serves: str) -> Format | None:
    """The format of kind ``serves`` a ``format=`` value names, however a client spells it.

    Clients send a short name (json), a media type, an extension (ttl), an rdflib name (json-ld)
    or a bare subtype (rdf+xml); xml and json mean results for SELECT and RDF/XML and JSON-LD for
    graphs, as SPARQLWrapper and Fuseki use them.
    """
    if "," in value:  # a list of alternatives (SPARQLWrapper sends its Accept list): the first
        found_any = (resolve(v, serves) for v in value.split(",") if v.strip())
        return next((f for f in found_any if f is not None), None)
    key = value.split(";", 1)[0].strip().lower()
    kind = [f for f in FORMATS if f.serves == serves]
    for match in (
        lambda f: key == f.media_type or key in f.aliases,
        lambda f: key == f.name,
        lambda f: key == f.extension,
        lambda f: key == f.rdflib,
        lambda f: key == f.media_type.split("/", 1)[1],
    ):
        for f in kind:
            if match(f):
                return f
    found = BY_EXTENSION.get(key.lstrip("."))
    return found if found is not None and found.serves == serves else None
