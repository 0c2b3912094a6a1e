"""The dataset under construction: one named graph per source, with PROV-O on each graph.

Builders never touch rdflib's Dataset directly; they say which source a triple comes from,
and the graph it lands in follows from that.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.assembly.sources import Source
from gcm_kg.namespaces import GCM

CURATION = iris.curator("gcm-kg curation")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


class Assembly:
    """Collects triples per source into named graphs."""

    def __init__(self) -> None:
        self.dataset = Dataset()
        self.sources: dict[str, Source] = {}

    def graph_iri(self, source: Source) -> URIRef:
        return iris.graph(source.slug)

    def add(self, source: Source, s: Node, p: Node, o: Node) -> None:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ValueError("blank nodes are not allowed in the built graph (determinism)")
        self.sources[source.slug] = source
        self.dataset.graph(self.graph_iri(source)).add((s, p, o))

    def describe(self, source: Source, s: URIRef, rdf_type: URIRef, label: str) -> None:
        self.add(source, s, RDF.type, rdf_type)
        self.add(source, s, RDFS.label, en(label))

    def derived(
        self, source: Source, s: URIRef, origin: URIRef, evidence: str | None = None
    ) -> None:
        """Record where a resource's facts come from (a document or a paragraph)."""
        self.add(source, s, PROV.wasDerivedFrom, origin)
        if evidence:
            self.add(source, s, GCM.evidence, Literal(evidence))

    def document_iri(self, source: Source) -> URIRef:
        return iris.document(source.slug)

    def finish(self, checksums: dict[str, str]) -> Dataset:
        """Describe every named graph and every source document (in the provenance graph)."""
        from gcm_kg.assembly.sources import BY_SLUG

        prov_source = Source("provenance", "", "project", "Provenance of the named graphs", "")
        # every source read is described, also a seed whose facts all sit in curated tables'
        # graphs (their rows quote it); a graph is described only when it holds triples
        graphs = set(self.sources)
        for slug in sorted(graphs | (set(checksums) & set(BY_SLUG))):
            src = BY_SLUG.get(slug) or self.sources[slug]
            g = self.graph_iri(src)
            doc = self.document_iri(src)
            if slug in graphs:
                self.add(prov_source, g, RDF.type, PROV.Entity)
                self.add(prov_source, g, RDFS.label, en(f"Named graph built from: {src.title}"))
                self.add(prov_source, g, PROV.wasDerivedFrom, doc)
            self.add(prov_source, doc, RDF.type, GCM.Document)
            self.add(prov_source, doc, RDFS.label, en(src.title))
            self.add(prov_source, doc, DCTERMS.title, en(src.title))
            self.add(prov_source, doc, DCTERMS.type, Literal(src.kind))
            self.add(prov_source, doc, GCM.sourceFile, Literal(src.file))
            if src.date:
                self.add(prov_source, doc, DCTERMS.date, Literal(src.date, datatype=XSD.date))
            if src.url:
                self.add(prov_source, doc, GCM.sourceURL, Literal(src.url, datatype=XSD.anyURI))
            if slug in checksums:
                self.add(prov_source, doc, GCM.sha256, Literal(checksums[slug]))
            if src.kind == "curated table":
                # a curator's conclusions: attributed to the curation, never to a seed
                self.add(prov_source, doc, PROV.wasAttributedTo, CURATION)
                if slug in graphs:
                    self.add(prov_source, g, PROV.wasAttributedTo, CURATION)
            # the provenance graph itself is derived from the sources it describes
            self.add(prov_source, self.graph_iri(prov_source), PROV.wasDerivedFrom, doc)
        self.add(prov_source, CURATION, RDF.type, PROV.Agent)
        self.add(prov_source, CURATION, RDFS.label, en("gcm-kg curation"))
        self.add(
            prov_source,
            CURATION,
            RDFS.comment,
            en(
                "The project's curators: they wrote the tables under data/curated/, each row "
                "with the quote it rests on, checked by the build against the source it cites."
            ),
        )
        prov_graph = self.graph_iri(prov_source)
        self.add(prov_source, prov_graph, RDF.type, PROV.Entity)
        self.add(prov_source, prov_graph, RDFS.label, en("Provenance of every named graph"))
        return self.dataset
