"""The validation report: kept as RDF (a standard sh:ValidationReport); text and JSON from it.

Results are grouped by focus node, because a curator fixes one resource at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from gcm_kg import iris

SEVERITIES: dict[Node | None, str] = {
    SH.Violation: "Violation",
    SH.Warning: "Warning",
    SH.Info: "Info",
}

#: prefixes used to shorten IRIs in the text output and in the Turtle report
PREFIXES = {
    "gcm": iris.GCM,
    "gsh": "https://w3id.org/gcm-kg/shapes#",
    "id": iris.ID,
    "sdg": iris.SDG,
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "sh": str(SH),
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": str(XSD),
}


_NS = Graph(bind_namespaces="none")
for _p, _ns in PREFIXES.items():
    _NS.bind(_p, _ns)


@dataclass(frozen=True)
class Result:
    """One validation result, the fields a curator needs."""

    focus: Node
    severity: str
    path: str | None
    value: Node | None
    message: str
    shape: Node
    component: Node
    node: Node  # the result's node in the report graph

    def key(self) -> tuple[str, ...]:
        """What makes two results the same, across runs (the report node itself excluded)."""
        return (
            _term(self.focus),
            self.severity,
            self.path or "",
            _term(self.value) if self.value is not None else "",
            self.message,
            _term(self.shape),
            _term(self.component),
        )


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    def by_focus(self) -> dict[Node, list[Result]]:
        groups: dict[Node, list[Result]] = {}
        for r in self.results:
            groups.setdefault(r.focus, []).append(r)
        return groups

    def text(self) -> str:
        lines: list[str] = []
        for focus, results in self.by_focus().items():
            lines.append(_term(focus))
            for r in results:
                where = "  ".join(x for x in (r.path or "", _short(r.value)) if x)
                lines.append(f"  {r.severity:<9} {where}".rstrip())
                lines.append(f"            {r.message}")
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        v, w = len(self.violations), len(self.warnings)
        verdict = "Conforms." if self.conforms else "Does not conform."
        nodes = len(self.by_focus())
        return (
            f"{v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)} "
            f"on {nodes} resource{'s' * (nodes != 1)}. {verdict}"
        )

    def json(self) -> str:
        doc = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "focusNodes": [
                {
                    "focusNode": _plain(focus),
                    "results": [
                        {
                            "severity": r.severity,
                            "path": r.path,
                            "value": _plain(r.value) if r.value is not None else None,
                            "message": r.message,
                            "sourceShape": _plain(r.shape),
                            "constraintComponent": _plain(r.component),
                        }
                        for r in results
                    ],
                }
                for focus, results in self.by_focus().items()
            ],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def from_pyshacl(report: Graph, keep: Iterable[Node] | None = None) -> Report:
    """Our report from pyshacl's report graph; ``keep`` limits it to those focus nodes' results."""
    wanted = None if keep is None else set(keep)
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    top = BNode()
    out.add((top, RDF.type, SH.ValidationReport))
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        if focus is None or (wanted is not None and focus not in wanted):
            continue
        _copy(report, node, out)
        out.add((top, SH.result, node))
        results.append(_result(report, node, focus))
    results.sort(key=Result.key)
    conforms = not any(r.severity == "Violation" for r in results)
    out.add((top, SH.conforms, Literal(conforms)))
    return Report(conforms, results, out)


def _result(g: Graph, node: Node, focus: Node) -> Result:
    path = g.value(node, SH.resultPath)
    return Result(
        focus=focus,
        severity=SEVERITIES.get(g.value(node, SH.resultSeverity), "Violation"),
        path=_path(g, path) if path is not None else None,
        value=g.value(node, SH.value),
        message=" ".join(sorted(str(m) for m in g.objects(node, SH.resultMessage))),
        shape=g.value(node, SH.sourceShape) or BNode(),
        component=g.value(node, SH.sourceConstraintComponent) or BNode(),
        node=node,
    )


def _path(g: Graph, path: Node) -> str:
    """A SHACL path as SPARQL property-path text (only the forms our shapes use)."""
    if isinstance(path, URIRef):
        return _short(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(g, inverse)
    items = list(g.items(path))
    if items:
        return "/".join(_path(g, i) for i in items)
    return "?"


def _copy(src: Graph, node: Node, dst: Graph, seen: set[Node] | None = None) -> None:
    """Copy a node's description, following blank nodes (paths, cloned shapes)."""
    seen = set() if seen is None else seen
    if node in seen:
        return
    seen.add(node)
    for p, o in src.predicate_objects(node):
        dst.add((node, p, o))
        if isinstance(o, BNode):
            _copy(src, o, dst, seen)


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in PREFIXES.items():
            if prefix != "id" and text.startswith(ns) and _is_local(text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        return term.n3(_NS.namespace_manager)
    return _term(term)


def _is_local(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "-_." for c in name) and not name.endswith(".")


def _term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.n3()
    return str(term) if isinstance(term, URIRef) else f"_:{term}"


def _plain(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.n3()
    return str(term) if isinstance(term, URIRef) else f"_:{term}"
