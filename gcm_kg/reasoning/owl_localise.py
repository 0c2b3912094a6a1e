"""Find which individuals, and which of their statements, make the graph inconsistent.

HermiT only says *that* a graph is inconsistent. To say *where*, the individuals are turned
into classes (a "precompletion"): for an individual ``x`` with types ``A``, data values
``dp v`` and links ``x p y``, a class ``C_x`` gets ``C_x ⊑ A``, ``C_x ⊑ ∃dp.{v}`` and
``C_x ⊑ ∃p.T_y``, where ``T_y`` holds ``y``'s own types and data values. Any model of the
graph makes every ``C_x`` non-empty, so an unsatisfiable ``C_x`` proves that ``x``'s
statements (with its neighbours' types) contradict the ontology. One HermiT run over
these classes names all such individuals at once.

A second run names the statements: for each culprit, one class per statement with that
statement left out; the statements whose removal makes the class satisfiable are the ones
every explanation needs.

The encoding forgets identity between individuals, so contradictions that need it
(``owl:sameAs``, a functional property merging two named individuals, cardinalities over
named individuals) are proven by HermiT on the whole graph but not localised here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from gcm_kg.reasoning.owl_input import PropertyKinds, Triple

CHECK_NS = "urn:gcm-kg:check#"
_META = (str(RDF), str(RDFS), str(OWL))


@dataclass
class ABox:
    """The graph split into facts about individuals and everything else (the TBox)."""

    tbox: Graph = field(default_factory=Graph)
    types: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    data: dict[URIRef, list[tuple[URIRef, Literal]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    edges: dict[URIRef, list[tuple[URIRef, URIRef]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def split(cls, g: Graph, kinds: PropertyKinds) -> ABox:
        box = cls()
        for s, p, o in g:
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                if p == RDF.type and not str(o).startswith(_META):
                    box.types[s].append(o)
                    continue
                if p in kinds.object:
                    box.edges[s].append((p, o))  # type: ignore[arg-type]
                    continue
            if isinstance(s, URIRef) and isinstance(o, Literal) and p in kinds.data:
                box.data[s].append((p, o))  # type: ignore[arg-type]
                continue
            box.tbox.add((s, p, o))
        return box

    def individuals(self) -> list[URIRef]:
        return sorted(set(self.types) | set(self.data) | set(self.edges))

    def own(self, x: URIRef) -> list[Triple]:
        """x's types and data values: what ``T_x`` says."""
        return [(x, RDF.type, a) for a in sorted(self.types.get(x, ()))] + [
            (x, p, v) for p, v in sorted(self.data.get(x, ()))
        ]

    def statements(self, x: URIRef) -> list[Triple]:
        """Everything the encoding of x uses: its own facts, its links, its neighbours' facts."""
        out = self.own(x)
        links = sorted(self.edges.get(x, ()))
        out += [(x, p, y) for p, y in links]
        for y in sorted({y for _, y in links}):
            out += [t for t in self.own(y) if t not in out]
        return out


class _Builder:
    """Writes OWL class expressions as RDF (blank nodes for the anonymous parts)."""

    def __init__(self, g: Graph) -> None:
        self.g = g

    def named(self, iri: URIRef) -> URIRef:
        self.g.add((iri, RDF.type, OWL.Class))
        return iri

    def restriction(self, p: Node, key: URIRef, value: Node) -> BNode:
        r = BNode()
        self.g.add((r, RDF.type, OWL.Restriction))
        self.g.add((r, OWL.onProperty, p))
        self.g.add((r, key, value))
        return r

    def fact(self, t: Triple) -> Node:
        """The class expression a type or data statement stands for."""
        _, p, o = t
        return o if p == RDF.type else self.restriction(p, OWL.hasValue, o)

    def conj(self, parts: list[Node]) -> Node:
        if not parts:
            return OWL.Thing
        if len(parts) == 1:
            return parts[0]
        node = BNode()
        self.g.add((node, RDF.type, OWL.Class))
        head = BNode()
        Collection(self.g, head, parts)
        self.g.add((node, OWL.intersectionOf, head))
        return node


def encode_individuals(box: ABox) -> tuple[Graph, dict[str, URIRef], dict[str, URIRef]]:
    """TBox plus ``C_x``/``T_x`` per individual; returns the graph and IRI → individual maps."""
    g = Graph()
    for t in box.tbox:
        g.add(t)
    b = _Builder(g)
    inds = box.individuals()
    t_iri = {x: URIRef(f"{CHECK_NS}t{i}") for i, x in enumerate(inds)}
    c_iri = {x: URIRef(f"{CHECK_NS}c{i}") for i, x in enumerate(inds)}
    for x in inds:
        b.named(t_iri[x])
        for fact in box.own(x):
            g.add((t_iri[x], RDFS.subClassOf, b.fact(fact)))
    for x in inds:
        b.named(c_iri[x])
        g.add((c_iri[x], RDFS.subClassOf, t_iri[x]))
        for p, y in box.edges.get(x, ()):
            target = t_iri.get(y, OWL.Thing)
            g.add((c_iri[x], RDFS.subClassOf, b.restriction(p, OWL.someValuesFrom, target)))
    return g, {str(v): k for k, v in c_iri.items()}, {str(v): k for k, v in t_iri.items()}


def _description(b: _Builder, box: ABox, x: URIRef, without: Triple | None) -> Node:
    """x's statements except ``without``, as one class expression."""
    parts = [b.fact(t) for t in box.own(x) if t != without]
    for p, y in sorted(box.edges.get(x, ())):
        if (x, p, y) == without:
            continue
        target = b.conj([b.fact(t) for t in box.own(y) if t != without])
        parts.append(b.restriction(p, OWL.someValuesFrom, target))
    return b.conj(parts)


def encode_variants(
    box: ABox, culprits: list[URIRef]
) -> tuple[Graph, dict[str, tuple[URIRef, Triple]]]:
    """TBox plus, per culprit and statement, a class of the culprit without that statement."""
    g = Graph()
    for t in box.tbox:
        g.add(t)
    b = _Builder(g)
    which: dict[str, tuple[URIRef, Triple]] = {}
    n = 0
    for x in culprits:
        for t in box.statements(x):
            iri = b.named(URIRef(f"{CHECK_NS}v{n}"))
            g.add((iri, RDFS.subClassOf, _description(b, box, x, t)))
            which[str(iri)] = (x, t)
            n += 1
    return g, which
