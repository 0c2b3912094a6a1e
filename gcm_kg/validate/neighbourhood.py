"""Targeted validation: the part of the context graph that the shapes read for a submission.

Validating a submission against the whole union of graph and submission costs time in proportion
to the whole graph. But a submission (it only adds triples) can change the results of a few
nodes only: its own subjects, and the nodes the shapes reach "backwards" from it. This module
finds those *affected* nodes and copies from the context store exactly what the shapes read for
them, into a small dataset that pyshacl then validates:

* every triple of an affected node, and the types of the nodes it points at (``sh:class``,
  subclasses come with the ontology) or, for an untyped node, one triple proving it exists (the
  dangling-reference check);
* the triples pointing at it through the properties the shapes walk backwards
  (``INVERSE_READ``: a link's ``^gcm:qualifiedLink``, an objective's ``^gcm:coversObjective``),
  with the full description of those pointing nodes and of the qualified links of an affected
  node (the link-basis checks compare both ends);
* for the whole-graph rule "paragraph numbers are unique", every other paragraph of the same
  declaration with the same number: those become affected as well, since the union's report names
  them too;
* the whole ontology graph and every ``rdfs:subClassOf`` triple.

``tests/validate/test_validate_targeted.py`` checks that this yields the same results as
pyshacl on the whole union, node for node.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.store import Store

GCM = iris.GCM
ONTOLOGY_GRAPH = ox.NamedNode(iris.ID + "graph/ontology")
CONTEXT_GRAPH = ox.NamedNode("urn:gcm-kg:graph:context")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
QUALIFIED_LINK = ox.NamedNode(GCM + "qualifiedLink")
#: properties whose subjects the shapes read from their objects
INVERSE_READ = (ox.NamedNode(GCM + "coversObjective"), QUALIFIED_LINK)
PARAGRAPH_NUMBER = ox.NamedNode(GCM + "paragraphNumber")
IN_DECLARATION = ox.NamedNode(GCM + "inDeclaration")
#: rows per VALUES block, so no single query grows without bound
CHUNK = 500

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple  # RDF 1.2 quoted triples too


def _values(nodes: Sequence[ox.NamedNode]) -> str:
    return " ".join(str(n) for n in nodes)


def _chunks(nodes: Iterable[ox.NamedNode]) -> Iterable[list[ox.NamedNode]]:
    batch: list[ox.NamedNode] = []
    for n in nodes:
        batch.append(n)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


class Neighbourhood:
    """Collects the affected nodes of a submission and the context triples their shapes read."""

    def __init__(
        self,
        context: Store,
        submission: Sequence[ox.Triple],
        exclude: Iterable[ox.Triple] = (),
    ) -> None:
        self.context = context
        self.submission = list(submission)
        #: subjects of context triples the write takes out: their existence is not proved by
        #: one sampled triple (it may be one that goes), they are described in full instead
        self._losing = {t.subject for t in exclude}
        self.triples: set[ox.Triple] = set()
        self.affected: set[Term] = set()
        self._described: set[ox.NamedNode] = set()  # nodes whose triples are already fetched
        self._typed: set[Term] = set()  # nodes whose types are already fetched

    def collect(self) -> set[Term]:
        """Fill ``triples`` from the context; return the affected nodes."""
        for t in self.submission:
            self.affected.add(t.subject)
            if t.predicate in INVERSE_READ and not isinstance(t.object, ox.Literal):
                self.affected.add(t.object)
        pending = set(self.affected)
        while pending:
            self._describe(pending)
            partners = self._number_partners(pending) - self.affected
            self.affected |= partners
            pending = partners
        return self.affected

    # ------------------------------------------------------------------ context queries

    def _describe(self, nodes: set[Term]) -> None:
        iri_nodes = [n for n in nodes if isinstance(n, ox.NamedNode)]
        values = self._outgoing(iri_nodes)
        values |= {t.object for t in self.submission if t.subject in nodes}
        pointing = self._incoming(iri_nodes)
        links = {
            t.object for t in self._all() if t.subject in nodes and t.predicate == QUALIFIED_LINK
        }
        extra = [n for n in (pointing | links) if isinstance(n, ox.NamedNode)]
        values |= self._outgoing(extra)
        self._types(v for v in values if isinstance(v, ox.NamedNode))

    def _outgoing(self, nodes: Sequence[ox.NamedNode]) -> set[Term]:
        """Add the nodes' triples and the types of their values; return the values."""
        todo = [n for n in nodes if n not in self._described]
        self._described.update(todo)
        values: set[Term] = set()
        for batch in _chunks(todo):
            query = f"""SELECT ?s ?p ?o ?t WHERE {{ VALUES ?s {{ {_values(batch)} }}
                ?s ?p ?o . OPTIONAL {{ ?o a ?t }} }}"""
            for row in self.context.term_rows(query):
                s, p, o = row["s"], row["p"], row["o"]
                self.triples.add(ox.Triple(s, p, o))  # type: ignore[arg-type]
                values.add(o)
                if "t" in row:
                    self.triples.add(ox.Triple(o, RDF_TYPE, row["t"]))  # type: ignore[arg-type]
                    self._typed.add(o)
        return values

    def _incoming(self, nodes: Sequence[ox.NamedNode]) -> set[Term]:
        """Add triples pointing at the nodes through INVERSE_READ; return the pointing nodes."""
        wanted = set(nodes)  # a set: membership in the list was quadratic in the write's size
        found: set[Term] = {
            t.subject for t in self.submission if t.object in wanted and t.predicate in INVERSE_READ
        }
        props = " ".join(str(p) for p in INVERSE_READ)
        for batch in _chunks(nodes):
            query = f"""SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {_values(batch)} }}
                VALUES ?p {{ {props} }} ?s ?p ?o }}"""
            for row in self.context.term_rows(query):
                s = row["s"]
                self.triples.add(ox.Triple(s, row["p"], row["o"]))  # type: ignore[arg-type]
                found.add(s)
        return found

    def _types(self, values: Iterable[ox.NamedNode]) -> None:
        """Copy the values' types; for an untyped value, one triple proving it exists."""
        todo = [v for v in set(values) if v not in self._typed]
        self._typed.update(todo)
        untyped = set(todo)
        losing = [v for v in todo if v in self._losing]
        if losing:
            self._outgoing(losing)
        for batch in _chunks(todo):
            query = f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {_values(batch)} }} ?s a ?t }}"
            for row in self.context.term_rows(query):
                s = row["s"]
                self.triples.add(ox.Triple(s, RDF_TYPE, row["t"]))  # type: ignore[arg-type]
                untyped.discard(s)  # type: ignore[arg-type]
        for batch in _chunks(v for v in untyped if v not in self._described):
            query = f"""SELECT ?s (SAMPLE(?p) AS ?sp) (SAMPLE(?o) AS ?so) WHERE {{
                VALUES ?s {{ {_values(batch)} }} ?s ?p ?o }} GROUP BY ?s"""
            for row in self.context.term_rows(query):
                if "sp" in row and "so" in row:
                    triple = ox.Triple(row["s"], row["sp"], row["so"])  # type: ignore[arg-type]
                    self.triples.add(triple)

    def _number_partners(self, nodes: set[Term]) -> set[Term]:
        """Other paragraphs with the same number in the same declaration (uniqueness rule)."""
        pairs = set()
        numbers: dict[object, list[Term]] = {}
        decls: dict[object, list[Term]] = {}
        for t in self._all():  # one pass, indexed by subject: a scan per node was quadratic
            if t.predicate == PARAGRAPH_NUMBER and t.subject in nodes:
                numbers.setdefault(t.subject, []).append(t.object)  # type: ignore[arg-type]
            elif t.predicate == IN_DECLARATION and t.subject in nodes:
                decls.setdefault(t.subject, []).append(t.object)  # type: ignore[arg-type]
        for node, found in numbers.items():
            pairs |= {
                (d, n) for d in decls.get(node, ()) for n in found if isinstance(n, ox.Literal)
            }
        partners: set[Term] = set()
        for d, n in pairs:
            if not isinstance(d, ox.NamedNode):
                continue
            query = f"""SELECT ?o ?n WHERE {{ ?o {IN_DECLARATION} {d} ; {PARAGRAPH_NUMBER} ?n .
                FILTER (?n = {n}) }}"""
            for row in self.context.term_rows(query):
                partners.add(row["o"])
        return {p for p in partners if not isinstance(p, ox.Literal)}

    def _all(self) -> Iterable[ox.Triple]:
        yield from self.triples
        yield from self.submission


def focus_terms(nodes: Iterable[Term]) -> set[Node]:
    """The affected nodes as rdflib terms, to match pyshacl's report."""
    out: set[Node] = set()
    for n in nodes:
        if isinstance(n, ox.NamedNode):
            out.add(URIRef(n.value))
        elif isinstance(n, ox.BlankNode):
            out.add(BNode(n.value))
    return out
