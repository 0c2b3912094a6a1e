"""The dataset described in VoID and DCAT: licence, sources, counts, subsets, downloads.

The published graph is CC BY 4.0 and attributes its sources: the description lists, for each
named graph, the source document it was built from (the UN documents, the reference tables,
the SDG KOS), read from the graph's own provenance, never typed in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, VOID

from gcm_kg import iris
from gcm_kg.linked.dumps import Dump
from gcm_kg.linked.rdf import bind_prefixes
from gcm_kg.store import Store

SPDX = Namespace("http://spdx.org/rdf/terms#")
GCM = Namespace(iris.GCM)
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
TITLE = "gcm-kg: knowledge graph of the Global Compact for Migration"
DESCRIPTION = (
    "The objectives and guiding principles of the Global Compact for Safe, Orderly and Regular "
    "Migration (A/RES/73/195), the round tables and Progress Declaration of the 2022 "
    "International Migration Review Forum, pledges and the actors behind them, linked to the "
    "UN's own SDG goals and targets. Each fact sits in the named graph of its source."
)
ATTRIBUTION = (
    "Licensed under CC BY 4.0. Built from United Nations documents (General Assembly "
    "resolutions and draft resolutions, reports of the Secretary-General, meeting summaries, "
    "press releases), IOM and UN Network on Migration web pages, the SDG Knowledge "
    "Organization System of the UN Statistics Division (UNStats LOD4Stats, metadata.un.org), "
    "the final-draft text of the Compact's actions as packaged in iomeval 0.1.4 (Apache-2.0; "
    "each action names its source) and curated tables (such as UN Member States with "
    "ISO 3166-1 codes); each named graph names its source document. Attribute: 'gcm-kg, "
    "from United Nations sources and the UN SDG KOS'."
)
VOCABULARIES = (
    iris.ONTOLOGY,
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    "http://metadata.un.org/sdg/ontology#",
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
)

Q_TOTALS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { GRAPH ?g { ?s ?p ?o } }
"""
Q_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class
"""
Q_GRAPHS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
SELECT ?g ?n ?source ?sourceTitle ?sourceUrl ?sourceFile WHERE {
  { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g }
  OPTIONAL { ?g prov:wasDerivedFrom ?source .
             OPTIONAL { ?source dcterms:title ?sourceTitle }
             OPTIONAL { ?source gcm:sourceURL ?sourceUrl }
             OPTIONAL { ?source gcm:sourceFile ?sourceFile } }
}
ORDER BY ?g
"""


@dataclass
class Subset:
    graph: str
    triples: int
    source: str | None
    title: str | None
    url: str | None
    file: str | None


@dataclass
class Summary:
    triples: int
    subjects: int
    properties: int
    objects: int
    classes: list[tuple[str, int]]
    subsets: list[Subset]


def summarize(store: Store) -> Summary:
    totals = store.query(Q_TOTALS).rows[0]
    classes = [(str(r["class"]), int(str(r["n"]))) for r in store.query(Q_CLASSES).rows]
    subsets: list[Subset] = []
    for r in store.query(Q_GRAPHS).rows:
        get = r.get
        if subsets and subsets[-1].graph == str(r["g"]):
            continue  # a second title or URL of the same source: the first one is enough
        subsets.append(
            Subset(
                str(r["g"]),
                int(str(r["n"])),
                str(get("source")) if get("source") else None,
                str(get("sourceTitle")) if get("sourceTitle") else None,
                str(get("sourceUrl")) if get("sourceUrl") else None,
                str(get("sourceFile")) if get("sourceFile") else None,
            )
        )
    return Summary(
        int(str(totals["triples"])),
        int(str(totals["subjects"])),
        int(str(totals["properties"])),
        int(str(totals["objects"])),
        classes,
        subsets,
    )


def description(summary: Summary, dumps: list[Dump], base: str) -> Graph:
    """The VoID + DCAT description of the dataset as RDF."""
    g = Graph()
    bind_prefixes(g)
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("spdx", SPDX), ("foaf", FOAF)):
        g.bind(prefix, ns, override=True, replace=True)
    ds = iris.dataset(base)
    for t in (VOID.Dataset, DCAT.Dataset):
        g.add((ds, RDF.type, t))
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.license, CC_BY))
    g.add((ds, DCTERMS.rights, Literal(ATTRIBUTION, lang="en")))
    g.add((ds, DCTERMS.creator, Literal("gcm-kg maintainers")))
    g.add((ds, FOAF.homepage, URIRef(base)))
    g.add((ds, DCAT.landingPage, URIRef(base)))
    g.add((ds, VOID.uriSpace, Literal(iris.ID.replace(iris.BASE, base))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((ds, VOID.exampleResource, URIRef(base + "id/objective/20")))
    g.add((ds, VOID.rootResource, URIRef(base + "id/declaration/imrf-2022")))
    for v in VOCABULARIES:
        g.add((ds, VOID.vocabulary, URIRef(v)))
    g.add((ds, VOID.triples, Literal(summary.triples, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(summary.subjects, datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(summary.properties, datatype=XSD.integer)))
    g.add((ds, VOID.distinctObjects, Literal(summary.objects, datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(summary.classes), datatype=XSD.integer)))
    for cls, n in summary.classes:
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for sub in summary.subsets:
        node = URIRef(sub.graph)
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, VOID.triples, Literal(sub.triples, datatype=XSD.integer)))
        if sub.source:
            src = URIRef(sub.source)
            g.add((node, PROV.wasDerivedFrom, src))
            g.add((ds, DCTERMS.source, src))
            if sub.title:
                g.add((src, DCTERMS.title, Literal(sub.title, lang="en")))
            if sub.url:
                g.add((src, GCM.sourceURL, Literal(sub.url, datatype=XSD.anyURI)))
    for d in dumps:
        dist = iris.distribution(d.name, base)
        g.add((ds, VOID.dataDump, dist))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(d.title, lang="en")))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.mediaType, URIRef(_iana(d.media_type))))
        if d.compress:
            g.add((dist, DCAT.compressFormat, URIRef(_iana(d.compress))))
        g.add((dist, DCAT.byteSize, Literal(d.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, CC_BY))
        checksum = BNode()
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(d.sha256, datatype=XSD.hexBinary)))
    return g


def _iana(media_type: str) -> str:
    return "https://www.iana.org/assignments/media-types/" + media_type
