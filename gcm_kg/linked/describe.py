"""What the graph says about one resource: the set every representation of it is built from.

The description of a resource R is exactly:

1. every triple whose subject is R;
2. every triple whose subject is a *dependent* of R: an object of ``gcm:qualifiedLink`` or
   ``gcm:hasCommitmentText`` (these nodes exist only to qualify R and are embedded in it);
3. the incoming links that R's frame names (for an objective, the paragraphs that address it
   and the pledges that support it), as the triples ``(S, p, R)``;
4. for every other IRI those triples reach (objects other than classes, subjects of the
   incoming links): its ``rdfs:label`` and ``skos:prefLabel`` in English or without language,
   and its compact SDG code (``skos:notation`` typed ``sdgo:SDGCodeCompact``), so references
   carry a readable label.

Turtle, N-Triples, RDF/XML and the JSON-LD of R all hold this same set; TriG and N-Quads hold
it in their default graph too, and add beside it the named graph each triple comes from.
The queries bind R as an RDF term, never splice it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from gcm_kg import trust
from gcm_kg.linked.frames import EMBEDDED, Frame, frame_for
from gcm_kg.store import Store

SDG_CODE_COMPACT = URIRef("http://metadata.un.org/sdg/ontology#SDGCodeCompact")
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel)

_EMBED_PATH = "|".join(f"<{p}>" for p in EMBEDDED)

Q_OWN = "SELECT ?r ?g ?p ?o WHERE { GRAPH ?g { ?r ?p ?o } }"
Q_DEPENDENTS = f"SELECT ?r ?g ?s ?p ?o WHERE {{ ?r {_EMBED_PATH} ?s . GRAPH ?g {{ ?s ?p ?o }} }}"
Q_REVERSE = "SELECT ?r ?g ?s ?p WHERE {{ VALUES ?p {{ {preds} }} GRAPH ?g {{ ?s ?p ?r }} }}"
Q_LABELS = f"""
SELECT ?r ?g ?p ?o WHERE {{
  GRAPH ?g {{ ?r ?p ?o }}
  FILTER (?p IN (<{RDFS.label}>, <{SKOS.prefLabel}>, <{SKOS.notation}>))
}}
"""

Quad = tuple[Node, Node, Node, Node]  # graph, subject, predicate, object


@dataclass
class Description:
    subject: URIRef
    frame: Frame
    types: set[str]
    quads: list[Quad] = field(default_factory=list)  # parts 1-3
    label_quads: list[Quad] = field(default_factory=list)  # part 4

    @property
    def exists(self) -> bool:
        return any(q[1] == self.subject for q in self.quads)

    def graph(self) -> Graph:
        """The description as one graph (the set the JSON-LD expands to)."""
        g = Graph()
        for _, s, p, o in self.quads + self.label_quads:
            g.add((s, p, o))
        return g

    def dataset(self, with_default: bool = False) -> Dataset:
        """The description with each triple in the named graph it comes from, and with
        ``with_default`` also in the default graph (what a dereferencing client reads)."""
        ds = Dataset()
        for gname, s, p, o in self.quads + self.label_quads:
            ds.graph(gname).add((s, p, o))  # type: ignore[arg-type]
            if with_default:
                ds.default_context.add((s, p, o))
        return ds

    def by_subject(self) -> dict[Node, dict[Node, list[Node]]]:
        """Subject -> predicate -> objects (duplicates across graphs merged, order kept)."""
        out: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for _, s, p, o in self.quads:
            if o not in out[s][p]:
                out[s][p].append(o)
        return out

    def labels(self) -> dict[Node, dict[Node, list[Node]]]:
        out: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for _, s, p, o in self.label_quads:
            if o not in out[s][p]:
                out[s][p].append(o)
        return out

    def graphs_of(self, s: Node, p: Node, o: Node) -> list[Node]:
        return sorted({q[0] for q in self.quads if q[1:] == (s, p, o)}, key=str)


def _is_label(p: Node, o: Node, lang: str = "en") -> bool:
    if not isinstance(o, Literal):
        return False
    if p in LABEL_PROPERTIES:
        return o.language in ("en", lang) or (o.language is None and o.datatype is None)
    return p == SKOS.notation and o.datatype == SDG_CODE_COMPACT


def norm(term: Node) -> Node:
    """RDF 1.1 simple literals: ``"x"^^xsd:string`` is ``"x"`` (backends differ in which)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _referenced(desc: Description) -> list[URIRef]:
    """IRIs the description points to (not classes) and subjects of its incoming links."""
    dependents = {q[1] for q in desc.quads if q[1] != desc.subject and q[3] != desc.subject}
    out: dict[URIRef, None] = {}
    for _, s, p, o in desc.quads:
        if o == desc.subject and s != desc.subject and s not in dependents:
            out[s] = None  # type: ignore[index]
        elif p != RDF.type and isinstance(o, URIRef) and o not in dependents:
            out[o] = None
    return list(out)


def describe(store: Store, iri: URIRef, lang: str = "en") -> Description:
    """Gather the description of ``iri`` (empty quads when the graph does not know it); with
    ``lang``, references also carry their labels in that language (for pages and framed
    JSON-LD that choose a language, see ``language.in_language``)."""
    r = {"r": iri}
    own = official_only(
        [(row["g"], iri, row["p"], norm(row["o"])) for row in store.query(Q_OWN, bindings=r).rows]
    )
    types = {str(q[3]) for q in own if q[2] == RDF.type}
    frame = frame_for(types)
    desc = Description(iri, frame, types)
    desc.quads = own
    if not own:
        return desc
    dependents = store.query(Q_DEPENDENTS, bindings=r).rows
    desc.quads += official_only(
        [(row["g"], row["s"], row["p"], norm(row["o"])) for row in dependents]
    )
    reverse = frame.reverse_properties()
    preds = " ".join(f"<{p}>" for p in reverse)
    if reverse:
        for row in store.query(Q_REVERSE.format(preds=preds), bindings=r).rows:
            desc.quads.append((row["g"], row["s"], row["p"], iri))
    # part 4: one small query per referenced IRI, bound as a term (fast on every backend)
    seen: set[Quad] = set()
    for node in _referenced(desc):
        rows = store.query(Q_LABELS, bindings={"r": node}).rows
        for quad in official_only([(row["g"], node, row["p"], norm(row["o"])) for row in rows]):
            if quad not in seen and _is_label(quad[2], quad[3], lang):
                seen.add(quad)
                desc.label_quads.append(quad)
    return desc


def official_only(quads: list[Quad]) -> list[Quad]:
    """The quads without any label, title, type, text or provenance of an official resource
    (one a source graph describes) that comes from another graph: the trust model at read time,
    so a curator's statement never stands in for an official value (gcm_kg.trust)."""
    official = {q[1] for q in quads if trust.official_graph(str(q[0]))}
    return [
        q
        for q in quads
        if q[1] not in official or trust.official_graph(str(q[0])) or not trust.protected(str(q[2]))
    ]
