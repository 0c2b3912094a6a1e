"""The ontology as a page people can read without opening Turtle.

Built from ``ontology/gcm.ttl`` (every class and property: label, comment, domain, range,
super- and sub-terms, characteristics, disjoint classes, inverses), the built graph (how
many instances each term has and one example, the smallest IRI, so the page is stable),
``ontology/CHANGELOG.md`` and the class diagram of ``gcm_kg.ontology_page.diagram``. One
self-contained HTML page: inline CSS and SVG, no JavaScript, nothing fetched from elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

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


# ---------------------------------------------------------------- HTML

CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.45}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #2a6db0;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin:1.6rem 0 .3rem}code,.iri{font-family:ui-monospace,monospace;font-size:.9em}
.term{border-left:3px solid #d0dff0;padding:.1rem 0 .1rem .9rem;margin:1rem 0}
dl{display:grid;grid-template-columns:11rem minmax(0,1fr);gap:.15rem .8rem;margin:.4rem 0}
dt{color:#555}dd{margin:0}.muted{color:#666}nav.toc ul{columns:3;padding-left:1.2rem}
@media (max-width:40rem){nav.toc ul{columns:1}dl{grid-template-columns:minmax(0,1fr)}
main{padding:.75rem}}
.diagram{overflow-x:auto;border:1px solid #ddd;padding:.5rem;background:#fff}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
a{color:#1d5a94}
"""


class _Html:
    """Rendering helpers that know the page's prefixes and anchors."""

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

    def term(self, iri: URIRef) -> str:
        text = escape(self.curie(str(iri)))
        if iri in self.anchors:
            return f'<a href="#{escape(str(iri)[len(iris.GCM) :])}"><code>{text}</code></a>'
        return f'<a href="{escape(str(iri))}"><code>{text}</code></a>'

    def terms(self, items: list[URIRef]) -> str:
        return ", ".join(self.term(i) for i in items)

    def value(self, node: Node | None) -> str:
        if isinstance(node, URIRef):
            return self.term(node)
        if isinstance(node, Literal):
            text = str(node)
            short = text if len(text) <= 160 else text[:157] + "…"
            return f"<q>{escape(short)}</q>"
        return ""


def _row(name: str, value: str) -> str:
    return f"<dt>{name}</dt><dd>{value}</dd>" if value else ""


def _term_html(h: _Html, t: Term) -> str:
    sup_name = "Subclass of" if t.kind == "class" else "Sub-property of"
    sub_name = "Subclasses" if t.kind == "class" else "Sub-properties"
    rows = [
        _row("IRI", f'<span class="iri">{escape(str(t.iri))}</span>'),
        _row(sup_name, h.terms(t.supers)),
        _row(sub_name, h.terms(t.subs)),
        _row("Domain", h.terms(t.domain)),
        _row("Range", h.terms(t.range)),
        _row("Inverse of", h.terms(t.inverse)),
        _row("Characteristics", ", ".join(t.characteristics)),
        _row("Disjoint with", h.terms(t.disjoint)),
        _row("Domain of", h.terms(t.domain_of)),
        _row("Range of", h.terms(t.range_of)),
    ]
    noun = "instances" if t.kind == "class" else "resources with it"
    if t.example is not None:
        ex = t.example
        subject = h.term(ex.subject) + (f" ({escape(ex.label)})" if ex.label else "")
        shown = subject if t.kind == "class" else f"{subject} → {h.value(ex.value)}"
        rows.append(_row("In the graph", f"{t.count} {noun}; for example {shown}"))
    else:
        rows.append(_row("In the graph", f'<span class="muted">no {noun} yet</span>'))
    return (
        f'<section class="term" id="{escape(t.name)}"><h3>{escape(t.label)} '
        f'<small class="muted"><code>gcm:{escape(t.name)}</code> · {t.kind}</small></h3>'
        f"<p>{escape(t.comment)}</p><dl>{''.join(rows)}</dl></section>"
    )


def changelog_html(markdown: str) -> str:
    """The small Markdown subset of CHANGELOG.md: headings, paragraphs, bullets, code."""

    def inline(text: str) -> str:
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))

    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        if lines[0].startswith("# "):
            continue
        if lines[0].startswith("## "):
            out.append(f"<h3>{inline(lines[0][3:])}</h3>")
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
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
        else:
            out.append(f"<p>{inline(' '.join(x.strip() for x in lines))}</p>")
    return "\n".join(out)


def render_html(
    doc: OntologyDoc,
    svg: str,
    downloads: dict[str, str],
    site_header: str = "",
    site_css: str = "",
) -> str:
    """The whole page; ``downloads`` maps a format's name to its URL; ``site_header`` is the
    site's navigation (HTML) and ``site_css`` its style rules (inlined: the page stays one
    self-contained file), so the page looks like every other page of the site."""
    h = _Html(doc)
    hd = doc.header
    links = " · ".join(f'<a href="{escape(u)}">{escape(n)}</a>' for n, u in downloads.items())
    meta = [
        _row("Ontology IRI", f'<span class="iri">{escape(hd["iri"])}</span>'),
        _row("This version", f'<span class="iri">{escape(hd["version_iri"])}</span>'),
        _row("Version", escape(hd["version"])),
        _row(
            "Prior version",
            f'<span class="iri">{escape(hd["prior_version"])}</span>'
            if hd["prior_version"]
            else "",
        ),
        _row("Modified", escape(hd["modified"])),
        _row("Licence", f'<a href="{escape(hd["license"])}">{escape(hd["license"])}</a>'),
        _row("Download", links),
    ]
    nav = "".join(
        f'<li><a href="#{escape(t.name)}">{escape(t.label)}</a></li>' for t in doc.classes
    )
    schemes = "".join(
        f'<h3 id="scheme-{escape(s.iri.rsplit("/", 1)[-1])}">{escape(s.label)}</h3>'
        f"<p>{escape(s.comment)} <code>{escape(str(s.iri))}</code></p><table>"
        + "".join(
            f"<tr><td><code>{escape(h.curie(str(c)))}</code></td><td>{escape(label)}</td>"
            f"<td>{escape(definition)}</td></tr>"
            for c, label, definition in s.concepts
        )
        + "</table>"
        for s in doc.schemes
    )
    prefixes = "".join(
        f"<tr><td><code>{escape(p)}:</code></td><td><code>{escape(ns)}</code></td></tr>"
        for p, ns in doc.namespaces
    )
    css_link = f"<style>{site_css}</style>" if site_css else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(hd["title"])} {escape(hd["version"])}</title>
<link rel="alternate" type="text/turtle" href="{escape(downloads.get("Turtle", ""))}">
<style>{CSS}</style>{css_link}</head><body>
{site_header}<main>
<section class="intro"><h1>{escape(hd["title"])}</h1><p>{escape(hd["description"])}</p>
<p class="muted">{escape(hd["comment"])}</p><dl>{"".join(meta)}</dl></section>
<nav class="toc" aria-label="Contents"><h2>Classes</h2><ul>{nav}</ul>
<p><a href="#object-properties">Object properties</a> · <a href="#datatype-properties">Datatype
properties</a> · <a href="#vocabularies">Controlled vocabularies</a> ·
<a href="#namespaces">Namespaces</a> · <a href="#changelog">Changelog</a></p></nav>
<h2 id="diagram">How the classes connect</h2><div class="diagram">{svg}</div>
<p class="muted">Object properties without a declared domain or range (such as
<code>gcm:isPartOf</code>) are not drawn; the sections below list every term.</p>
<h2 id="classes">Classes</h2>{"".join(_term_html(h, t) for t in doc.classes)}
<h2 id="object-properties">Object properties</h2>
{"".join(_term_html(h, t) for t in doc.object_properties)}
<h2 id="datatype-properties">Datatype properties</h2>
{"".join(_term_html(h, t) for t in doc.datatype_properties)}
<h2 id="vocabularies">Controlled vocabularies</h2>{schemes}
<h2 id="namespaces">Namespaces</h2><table>{prefixes}</table>
<h2 id="changelog">Changelog</h2>{changelog_html(doc.changelog)}
</main></body></html>
"""
