"""The SPARQL 1.1 Service Description answered on a bare GET of the endpoint.

Built from the format table (what the endpoint can write) and the store (which graphs it holds),
so it cannot drift from what the endpoint does. Features are stated honestly: the default graph
is the union of the named graphs; there is no ``sd:BasicFederatedQuery`` (SERVICE is refused)
and no ``sd:DereferencesURIs`` (FROM never fetches).
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef

from gcm_kg.config import Settings
from gcm_kg.formats import FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS_NS = "http://www.w3.org/ns/formats/"

#: W3C "Unique URIs for File Formats" names, by media type
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}


def describe(endpoint: str, graphs: Mapping[URIRef, int], settings: Settings) -> Graph:
    """The description of the endpoint at ``endpoint`` holding ``graphs`` (name → triples)."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS_NS)
    service = BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for fmt in FORMATS:
        name = FORMAT_IRIS.get(fmt.media_type)
        if name is not None:
            g.add((service, SD.resultFormat, URIRef(FORMATS_NS + name)))
    g.add(
        (
            service,
            RDFS.comment,
            Literal(
                "Read-only SPARQL 1.1 query endpoint of gcm-kg. Limits: "
                f"{settings.query_timeout:g} s per query, {settings.result_limit} result rows "
                f"and {settings.result_max_bytes} bytes per answer (cut answers carry a "
                f"Results-Truncated header), {settings.max_query_length} "
                "characters per query. SERVICE, LOAD and FROM of graphs not held are refused."
            ),
        )
    )
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name, count in sorted(graphs.items()):
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, name))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count, datatype=XSD.integer)))
    return g


GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
