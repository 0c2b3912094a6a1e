"""Materialised inferences: what the gcm ontology entails, in its own named graph.

Simple queries should get complete answers without property paths: asking for every
``gcm:Actor`` returns the Member States, asking what is ``gcm:isPartOf`` the declaration
returns its paragraphs, and round tables and objectives can be joined from either side.
The build adds exactly these entailments of ``ontology/gcm.ttl`` (no other vocabulary's
axioms, no domain or range typing), to a fixpoint:

1. **class hierarchy**: ``x a C`` and ``C rdfs:subClassOf+ D`` ⇒ ``x a D``;
2. **sub-properties**: ``s p o`` and ``p rdfs:subPropertyOf+ q`` ⇒ ``s q o``
   (``gcm:inSection`` ⊑ ``gcm:isPartOf`` ⊑ ``dcterms:isPartOf``);
3. **inverses**: ``s p o`` and ``p owl:inverseOf q`` (either way round) ⇒ ``o q s``
   (``gcm:coversObjective``/``gcm:coveredByRoundTable``, ``gcm:isPartOf``/``gcm:hasPart``);
4. **transitivity**: ``p a owl:TransitiveProperty``, ``s p o``, ``o p z`` ⇒ ``s p z``
   (paragraph ⊂ section ⊂ declaration).

Only triples not already asserted in some graph are added, to
``https://w3id.org/gcm-kg/id/graph/inferred``; asserted and inferred stay distinguishable.
Pure Python over sets, so it is fast and the output deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from gcm_kg import iris

INFERRED = iris.graph("inferred")
ONTOLOGY_GRAPH = iris.graph("ontology")
PROVENANCE_GRAPH = iris.graph("provenance")
ONTOLOGY_DOCUMENT = iris.document("ontology")

Triple = tuple[Node, Node, Node]


def _closure(edges: Iterable[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """Reflexive-free transitive closure: node → every node reachable from it."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for a, b in edges:
        if a != b:
            direct[a].add(b)
    reach: dict[Node, set[Node]] = {}
    for start in list(direct):
        seen: set[Node] = set()
        todo = list(direct[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(direct.get(n, ()))
        seen.discard(start)
        reach[start] = seen
    return reach


class Rules:
    """The entailment rules one ontology licenses (see the module docstring)."""

    def __init__(self, ontology: Graph) -> None:
        self.superclasses = _closure(
            (s, o)
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(o, URIRef) and o != OWL.Thing
        )
        self.superproperties = _closure(
            (s, o) for s, o in ontology.subject_objects(RDFS.subPropertyOf) if isinstance(o, URIRef)
        )
        self.inverse: dict[Node, set[Node]] = defaultdict(set)
        for p, q in ontology.subject_objects(OWL.inverseOf):
            self.inverse[p].add(q)
            self.inverse[q].add(p)
        self.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))

    def step(self, triples: set[Triple]) -> set[Triple]:
        """Everything one application of the rules adds to ``triples``."""
        new: set[Triple] = set()
        by_predicate: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in triples:
            if p == RDF.type:
                new.update((s, RDF.type, d) for d in self.superclasses.get(o, ()))
                continue
            new.update((s, q, o) for q in self.superproperties.get(p, ()))
            if not isinstance(o, Literal):
                new.update((o, q, s) for q in self.inverse.get(p, ()))
            if p in self.transitive:
                by_predicate[p][s].add(o)
        for p, succ in by_predicate.items():
            for s, objs in succ.items():
                for o in objs:
                    new.update((s, p, z) for z in succ.get(o, ()))
        return new - triples

    def relevant(self, t: Triple) -> bool:
        """Whether a triple can trigger any rule (the rest is left out of the fixpoint)."""
        _, p, o = t
        if p == RDF.type:
            return o in self.superclasses
        return p in self.superproperties or p in self.inverse or p in self.transitive


def infer(asserted: Iterable[Triple], ontology: Graph) -> set[Triple]:
    """The triples the ontology entails from ``asserted`` that are not among them."""
    rules = Rules(ontology)
    all_asserted = set(asserted)
    working = {t for t in all_asserted if rules.relevant(t)}
    while added := rules.step(working):
        working |= added
    return {t for t in working if t not in all_asserted}


def materialise(ds: Dataset) -> int:
    """Add the inferred named graph (and its provenance) to the built dataset; return its size."""
    ds.remove_graph(ds.graph(INFERRED))
    ontology = ds.graph(ONTOLOGY_GRAPH)
    asserted = ((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None)))
    inferred = infer(asserted, ontology)
    target = ds.graph(INFERRED)
    for t in inferred:
        target.add(t)
    prov = ds.graph(PROVENANCE_GRAPH)
    prov.add((INFERRED, RDF.type, PROV.Entity))
    prov.add((INFERRED, RDFS.label, Literal("Inferred triples", lang="en")))
    prov.add(
        (
            INFERRED,
            RDFS.comment,
            Literal(
                "Triples the gcm-kg ontology entails from the asserted graphs (class and "
                "property hierarchy, inverse properties, transitive part-of), computed at "
                "build time; none of them is asserted in another graph. See docs/reasoning.md.",
                lang="en",
            ),
        )
    )
    prov.add((INFERRED, PROV.wasDerivedFrom, ONTOLOGY_DOCUMENT))
    return len(inferred)
