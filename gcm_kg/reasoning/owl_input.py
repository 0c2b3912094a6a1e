"""Turn the graph into input HermiT can reason over, and say exactly what was changed.

HermiT accepts only the datatypes of the OWL 2 datatype map. The published graph uses three
that are outside it: ``xsd:date`` (event dates), ``xsd:gYear`` (years) and ``rdf:langString``
(the range of language-tagged text). For the check only, and counted in the report:

- ``xsd:date`` literals become ``xsd:dateTime`` at midnight (``2022-05-17`` →
  ``2022-05-17T00:00:00``), a one-to-one mapping, so equal dates stay equal and different
  dates stay different;
- ``xsd:gYear`` literals become ``xsd:integer`` (``2020`` → ``2020``), also one-to-one;
- the datatype IRIs themselves, wherever they occur (``rdfs:range xsd:date``), become
  ``xsd:dateTime``, ``xsd:integer`` and ``rdf:PlainLiteral`` (HermiT silently ignores a range
  of ``rdf:langString``, which it does not know; ``rdf:PlainLiteral`` is its OWL 2 superset);
- literals of any other datatype outside the map on a data property are read as
  ``xsd:string`` with the same lexical form.

Ill-typed literals (``"2022-13-01"^^xsd:date``) are not passed on: they are findings.
The published data is never changed by any of this.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), which HermiT supports.
_XSD_IN_MAP = """decimal integer nonNegativeInteger nonPositiveInteger positiveInteger
negativeInteger long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double
float string normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary
anyURI dateTime dateTimeStamp"""
OWL2_DATATYPES = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational]
    + [XSD[n] for n in _XSD_IN_MAP.split()]
)

DATATYPE_IRI_MAP = {
    XSD.date: XSD.dateTime,
    XSD.gYear: XSD.integer,
    RDF.langString: RDF.PlainLiteral,
}

_DATE = re.compile(r"^(-?\d{4,}-(\d{2})-(\d{2}))(Z|[+-]\d{2}:\d{2})?$")
_YEAR = re.compile(r"^(-?\d{4,})(Z|[+-]\d{2}:\d{2})?$")

# Predicates OWL itself defines: never data assertions of the graph.
BUILTIN_ANNOTATIONS = frozenset(
    [
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    ]
)
_OBJECT_KINDS = (
    OWL.ObjectProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
    OWL.InverseFunctionalProperty,
)


@dataclass
class PropertyKinds:
    """Which predicates the graph declares as object, data or annotation properties."""

    object: set[URIRef] = field(default_factory=set)
    data: set[URIRef] = field(default_factory=set)
    annotation: set[URIRef] = field(default_factory=set)

    @classmethod
    def of(cls, g: Graph) -> PropertyKinds:
        kinds = cls(annotation=set(BUILTIN_ANNOTATIONS))
        for kind in _OBJECT_KINDS:
            kinds.object.update(s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef))
        kinds.data.update(
            s for s in g.subjects(RDF.type, OWL.DatatypeProperty) if isinstance(s, URIRef)
        )
        kinds.annotation.update(
            s for s in g.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(s, URIRef)
        )
        return kinds

    def is_assertion(self, p: Node) -> bool:
        """True for a predicate whose triples are facts about individuals."""
        return p in self.object or p in self.data

    def declared(self, p: Node) -> bool:
        return (
            p in self.object
            or p in self.data
            or p in self.annotation
            or str(p).startswith((str(RDF), str(RDFS), str(OWL)))
        )


@dataclass
class Prepared:
    """The graph as HermiT will see it, and an account of every change made to get there."""

    graph: Graph
    kinds: PropertyKinds
    conversions: Counter[str] = field(default_factory=Counter)
    ill_typed: list[Triple] = field(default_factory=list)
    undeclared: list[URIRef] = field(default_factory=list)


def _convert(lit: Literal) -> Literal | None:
    """The OWL 2 datatype map stand-in of a date or year literal, None if ill-typed."""
    text = str(lit)
    if lit.datatype == XSD.date:
        m = _DATE.fullmatch(text)
        if not m or not (1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31):
            return None
        return Literal(f"{m.group(1)}T00:00:00{m.group(4) or ''}", datatype=XSD.dateTime)
    m = _YEAR.fullmatch(text)
    return Literal(int(m.group(1)), datatype=XSD.integer) if m else None


def _short(iri: URIRef) -> str:
    for prefix, ns in (("xsd", XSD), ("rdf", RDF), ("rdfs", RDFS)):
        if str(iri).startswith(str(ns)):
            return f"{prefix}:{str(iri)[len(str(ns)) :]}"
    return f"<{iri}>"


def prepare(source: Graph) -> Prepared:
    """Copy ``source`` into a graph HermiT accepts; the changes are counted, never hidden."""
    kinds = PropertyKinds.of(source)
    out = Prepared(Graph(), kinds)
    undeclared: set[URIRef] = set()
    for s, p, o in source:
        if isinstance(p, URIRef) and not kinds.declared(p) and p != RDF.type:
            undeclared.add(p)
        if isinstance(o, URIRef) and o in DATATYPE_IRI_MAP:
            out.conversions[f"{_short(o)} → {_short(DATATYPE_IRI_MAP[o])} (datatype IRI)"] += 1
            o = DATATYPE_IRI_MAP[o]
        elif isinstance(o, Literal) and o.datatype is not None:
            dt = o.datatype
            if dt in (XSD.date, XSD.gYear):
                converted = _convert(o)
                if converted is None:
                    out.ill_typed.append((s, p, o))
                    continue
                out.conversions[f"{_short(dt)} → {_short(converted.datatype)} (literal)"] += 1  # type: ignore[arg-type]
                o = converted
            elif dt in OWL2_DATATYPES:
                if o.ill_typed:
                    out.ill_typed.append((s, p, o))
                    continue
            elif p in kinds.data:
                out.conversions[f"{_short(dt)} → xsd:string (literal)"] += 1
                o = Literal(str(o), datatype=XSD.string)
        out.graph.add((s, p, o))
    out.undeclared = sorted(undeclared)
    return out
