"""The ontology as a page people can read without opening Turtle.

Built from ``ontology/gcm.ttl`` (every class and property: label, comment, domain, range,
super- and sub-terms, characteristics, disjoint classes, inverses), the built graph (how
many instances each term has and one example, the smallest IRI, so the page is stable),
``ontology/CHANGELOG.md`` and the class diagram of ``gcm_kg.ontology_page.diagram``. Data
only: ``gcm_kg.web.ontology`` renders it with the ``ontology.html`` template (inline CSS and
SVG, no JavaScript, nothing fetched from elsewhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.store import Store

CHARACTERISTICS = {
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
}


@dataclass
class Example:
    subject: URIRef
    label: str | None = None
    value: Node | None = None  # for properties: the object of the example triple


@dataclass
class Term:
    iri: URIRef
    name: str  # local name, also the page anchor
    kind: str
    label: str
    comment: str
    supers: list[URIRef] = field(default_factory=list)
    subs: list[URIRef] = field(default_factory=list)
    domain: list[URIRef] = field(default_factory=list)
    range: list[URIRef] = field(default_factory=list)
    inverse: list[URIRef] = field(default_factory=list)
    disjoint: list[URIRef] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    domain_of: list[URIRef] = field(default_factory=list)
    range_of: list[URIRef] = field(default_factory=list)
    count: int = 0
    example: Example | None = None


@dataclass
class Scheme:
    iri: URIRef
    label: str
    comment: str
    concepts: list[tuple[URIRef, str, str]]


@dataclass
class OntologyDoc:
    header: dict[str, str]
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    schemes: list[Scheme]
    namespaces: list[tuple[str, str]]
    changelog: str


def _text(g: Graph, s: Node, p: URIRef) -> str:
    values = sorted(g.objects(s, p), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
    return str(values[0]) if values else ""


def _iris(nodes: object) -> list[URIRef]:
    return sorted(n for n in nodes if isinstance(n, URIRef))  # type: ignore[attr-defined]


def _gcm(g: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, kind) if str(s).startswith(iris.GCM))  # type: ignore[misc]


def _term(g: Graph, t: URIRef, kind: str) -> Term:
    sub_p = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
    term = Term(
        t,
        str(t)[len(iris.GCM) :],
        kind,
        _text(g, t, RDFS.label),
        _text(g, t, RDFS.comment),
        supers=_iris(g.objects(t, sub_p)),
        subs=_iris(g.subjects(sub_p, t)),
        domain=_iris(g.objects(t, RDFS.domain)),
        range=_iris(g.objects(t, RDFS.range)),
        inverse=_iris(set(g.objects(t, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, t))),
        disjoint=_iris(set(g.objects(t, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, t))),
        characteristics=[v for k, v in CHARACTERISTICS.items() if (t, RDF.type, k) in g],
    )
    if kind == "class":
        term.domain_of = _iris(g.subjects(RDFS.domain, t))
        term.range_of = _iris(g.subjects(RDFS.range, t))
    return term


def describe(onto: Graph, store: Store | None, changelog: str) -> OntologyDoc:
    """Everything the page shows, read from the ontology and (for examples) the store."""
    o = URIRef(iris.ONTOLOGY)
    header = {
        "iri": str(o),
        "title": _text(onto, o, DCTERMS.title) or _text(onto, o, RDFS.label),
        "description": _text(onto, o, DCTERMS.description),
        "comment": _text(onto, o, RDFS.comment),
        "version_iri": _text(onto, o, OWL.versionIRI),
        "version": _text(onto, o, OWL.versionInfo),
        "prior_version": _text(onto, o, OWL.priorVersion),
        "license": _text(onto, o, DCTERMS.license),
        "modified": _text(onto, o, DCTERMS.modified),
    }
    doc = OntologyDoc(
        header,
        [_term(onto, c, "class") for c in _gcm(onto, OWL.Class)],
        [_term(onto, p, "object property") for p in _gcm(onto, OWL.ObjectProperty)],
        [_term(onto, p, "datatype property") for p in _gcm(onto, OWL.DatatypeProperty)],
        _schemes(onto),
        sorted((p, str(ns)) for p, ns in onto.namespaces() if p),
        changelog,
    )
    if store is not None:
        _examples(store, doc)
    return doc


def _schemes(onto: Graph) -> list[Scheme]:
    out = []
    for s in _iris(onto.subjects(RDF.type, SKOS.ConceptScheme)):
        concepts = [
            (c, _text(onto, c, SKOS.prefLabel), _text(onto, c, SKOS.definition))
            for c in _iris(onto.subjects(SKOS.inScheme, s))
        ]
        out.append(
            Scheme(s, _text(onto, s, SKOS.prefLabel), _text(onto, s, RDFS.comment), concepts)
        )
    return out


def _values(terms: list[Term]) -> str:
    return " ".join(f"<{t.iri}>" for t in terms)


def _examples(store: Store, doc: OntologyDoc) -> None:
    """Instance counts and the smallest-IRI example of every term (asserted or inferred)."""
    by_iri = {t.iri: t for t in doc.classes + doc.object_properties + doc.datatype_properties}
    if doc.classes:
        rows = store.query(
            f"SELECT ?t (COUNT(DISTINCT ?x) AS ?n) (MIN(STR(?x)) AS ?ex) WHERE {{ "
            f"VALUES ?t {{ {_values(doc.classes)} }} ?x a ?t FILTER(isIRI(?x)) }} GROUP BY ?t"
        ).rows
        for r in rows:
            by_iri[r["t"]].count = int(r["n"])  # type: ignore[index, call-overload]
            by_iri[r["t"]].example = Example(URIRef(str(r["ex"])))  # type: ignore[index]
    props = doc.object_properties + doc.datatype_properties
    if props:
        rows = store.query(
            f"SELECT ?t (COUNT(DISTINCT ?s) AS ?n) (MIN(STR(?s)) AS ?ex) WHERE {{ "
            f"VALUES ?t {{ {_values(props)} }} ?s ?t ?o FILTER(isIRI(?s)) }} GROUP BY ?t"
        ).rows
        for r in rows:
            by_iri[r["t"]].count = int(r["n"])  # type: ignore[index, call-overload]
            by_iri[r["t"]].example = Example(URIRef(str(r["ex"])))  # type: ignore[index]
        pairs = " ".join(
            f"(<{t.iri}> <{t.example.subject}>)" for t in props if t.example is not None
        )
        if pairs:
            rows = store.query(
                f"SELECT ?t ?o WHERE {{ VALUES (?t ?s) {{ {pairs} }} ?s ?t ?o }}"
            ).rows
            for r in sorted(rows, key=lambda r: (str(r["t"]), str(r["o"]))):
                ex = by_iri[r["t"]].example  # type: ignore[index]
                if ex is not None and ex.value is None:
                    ex.value = r["o"]
    subjects = {t.example.subject for t in by_iri.values() if t.example is not None}
    if subjects:
        rows = store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f"SELECT ?s (MIN(STR(?l)) AS ?label) WHERE {{ VALUES ?s {{ "
            f"{' '.join(f'<{s}>' for s in sorted(subjects))} }} ?s rdfs:label ?l }} GROUP BY ?s"
        ).rows
        labels = {r["s"]: str(r["label"]) for r in rows}
        for t in by_iri.values():
            if t.example is not None:
                t.example.label = labels.get(t.example.subject)


# ------------------------------------------------- what the template needs besides the doc


class Names:
    """How the page names an IRI: a CURIE from the ontology's prefixes, and the in-page anchor
    of the ontology's own terms (other IRIs link out). Plain strings: the template escapes."""

    def __init__(self, doc: OntologyDoc) -> None:
        self.prefixes = sorted(((ns, p) for p, ns in doc.namespaces), key=lambda x: -len(x[0]))
        self.anchors = {
            t.iri for t in doc.classes + doc.object_properties + doc.datatype_properties
        }

    def curie(self, iri: str) -> str:
        for ns, p in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{p}:{iri[len(ns) :]}"
        return iri

    def anchor(self, iri: str) -> str | None:
        """The section id of one of the page's own terms, else None."""
        return str(iri)[len(iris.GCM) :] if URIRef(iri) in self.anchors else None

    @staticmethod
    def is_iri(node: object) -> bool:
        return isinstance(node, URIRef)

    @staticmethod
    def is_literal(node: object) -> bool:
        return isinstance(node, Literal)

    @staticmethod
    def short(text: object, limit: int = 160) -> str:
        """A literal shown as an example value, cut to ``limit`` characters."""
        s = str(text)
        return s if len(s) <= limit else s[: limit - 3] + "…"


# A changelog line as segments: (text, is_code); `code` spans become is_code segments.
Inline = list[tuple[str, bool]]


@dataclass
class Block:
    """One block of CHANGELOG.md: a heading ("h3"), a paragraph ("p") or a list ("ul")."""

    kind: str
    items: list[Inline]


def _inline(text: str) -> Inline:
    parts = re.split(r"`([^`]+)`", text)
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def changelog_blocks(markdown: str) -> list[Block]:
    """The small Markdown subset of CHANGELOG.md: headings, paragraphs, bullets, code."""
    out: list[Block] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        if not lines or lines[0].startswith("# "):
            continue
        if lines[0].startswith("## "):
            out.append(Block("h3", [_inline(lines[0][3:])]))
            lines = lines[1:]
            if not lines:
                continue
        if lines[0].startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:
                    items[-1] += " " + line.strip()
            out.append(Block("ul", [_inline(i) for i in items]))
        else:
            out.append(Block("p", [_inline(" ".join(x.strip() for x in lines))]))
    return out
