"""Walks the shipped graph's provenance: for each statement of a curated or pledge table's graph,
the locator that supports it and whether its evidence quote is in the source, verbatim.

Used by ``test_provenance_walk.py`` (every statement) and ``audit_sample.py`` (a random sample,
with figures). It reads the shipped N-Quads and the source files themselves, not the build's
code, so a build that attached the wrong quote or locator is caught.

Rules: a statement ``s p o`` in graph G is supported when
1. ``s`` is a table row or a qualified link in G (the locator itself, checked on its own);
2. ``s prov:wasDerivedFrom r`` in G, ``r`` a table row in G (a row describes ``s``);
3. a row in G reifies ``s p o`` (rdf:subject, rdf:predicate, rdf:object);
4. ``s gcm:qualifiedLink l`` in G and ``l`` qualifies ``p o`` (or the statement is that link).
Vocabulary concepts a table's categories mint (skos:Concept, skos:ConceptScheme) are reference
statements and are not walked.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GCM = "https://w3id.org/gcm-kg/ontology#"
ID = "https://w3id.org/gcm-kg/id/"
TABLE_ROW = URIRef(GCM + "TableRow")
LINK = URIRef(GCM + "Link")
EVIDENCE = URIRef(GCM + "evidence")
QUOTED_FROM = URIRef(GCM + "quotedFrom")
SOURCE_LINE = URIRef(GCM + "sourceLine")
IN_TABLE = URIRef(GCM + "inTable")
LINE_NUMBER = URIRef(GCM + "lineNumber")
SOURCE_FILE = URIRef(GCM + "sourceFile")
QUALIFIED_LINK = URIRef(GCM + "qualifiedLink")
LINK_PROPERTY = URIRef(GCM + "linkProperty")
LINK_TARGET = URIRef(GCM + "linkTarget")
TEXT = URIRef(GCM + "text")
PROVENANCE = URIRef(ID + "graph/provenance")
VOCABULARY = {SKOS.Concept, SKOS.ConceptScheme}


@dataclass(frozen=True)
class Support:
    rule: int
    locator: URIRef  # the row or link that supports the statement


def load(path: Path = ROOT / "data" / "graph" / "gcm-kg.nq") -> Dataset:
    ds = Dataset()
    ds.parse(path, format="nquads")
    return ds


@cache
def table_graphs(ds: Dataset) -> list[Graph]:
    """Graphs built from curated tables (dcterms:type "curated table") or holding table rows."""
    prov = ds.graph(PROVENANCE)
    out = []
    for g in ds.graphs():
        if g.identifier == PROVENANCE:
            continue  # describes the graphs themselves
        doc = prov.value(g.identifier, PROV.wasDerivedFrom)
        curated = doc is not None and str(prov.value(doc, DCTERMS.type)) == "curated table"
        if curated or (None, RDF.type, TABLE_ROW) in g:
            out.append(g)
    return sorted(out, key=lambda g: str(g.identifier))


def statements(g: Graph) -> list[tuple]:  # type: ignore[type-arg]
    vocab = {s for t in VOCABULARY for s in g.subjects(RDF.type, t)}
    return sorted((t for t in g if t[0] not in vocab), key=lambda t: tuple(map(str, t)))


def support(g: Graph, s, p, o) -> Support | None:  # type: ignore[no-untyped-def]
    if (s, RDF.type, TABLE_ROW) in g or (s, RDF.type, LINK) in g:
        return Support(1, s)
    for r in g.objects(s, PROV.wasDerivedFrom):
        if (r, RDF.type, TABLE_ROW) in g:
            return Support(2, r)
    for r in g.subjects(RDF.subject, s):
        if (r, RDF.predicate, p) in g and (r, RDF.object, o) in g:
            return Support(3, r)
    for link in g.objects(s, QUALIFIED_LINK):
        if (link, LINK_PROPERTY, p) in g and (link, LINK_TARGET, o) in g:
            return Support(4, link)
        if p == QUALIFIED_LINK and o == link:
            return Support(4, link)
    return None


def verbatim(text: str) -> str:
    """Text as a reader compares it: markup links and tags dropped, quotes straightened,
    white space folded. Case is kept: a quote must match letter for letter."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"</?\w+[^>]*>", "", text)
    text = text.translate(
        str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
    )
    return re.sub(r"\s+", " ", text).strip()


@cache
def _file(relative: str) -> str:
    """A source file's text, from the path the graph names (under shared/, or in the repository)."""
    root, _, rest = relative.partition("/")
    path = SHARED / rest if root == "shared" else ROOT / relative
    return path.read_text(encoding="utf-8")


def _table_row_cells(ds: Dataset, row: URIRef) -> list[str]:
    g = _graph_of(ds, row)
    table = g.value(row, IN_TABLE)
    line = int(g.value(row, LINE_NUMBER))
    source = str(ds.graph(PROVENANCE).value(table, SOURCE_FILE))
    reader = csv.reader(_file(source).splitlines(keepends=True))
    for cells in reader:
        if reader.line_num == line:
            return cells
    raise AssertionError(f"{row}: no line {line} in {source}")


def _graph_of(ds: Dataset, node: URIRef) -> Graph:
    """The table graph that describes a row or link (not the inferred graph, which may type it)."""
    for g in table_graphs(ds):
        if (node, RDF.type, None) in g:
            return g
    raise AssertionError(f"{node} is described in no table's graph")


def _table_graph_or_none(ds: Dataset, node: URIRef) -> Graph:
    for g in table_graphs(ds):
        if (node, RDF.type, None) in g:
            return g
    return Graph()


def evidence_source(ds: Dataset, locator: URIRef) -> tuple[str, str]:
    """The locator's evidence and the text it must occur in, verbatim; describes the place."""
    g = _graph_of(ds, locator)
    evidence = g.value(locator, EVIDENCE)
    if evidence is None:
        raise AssertionError(f"{locator} has no evidence quote")
    quoted = g.value(locator, QUOTED_FROM)
    if quoted is None and (locator, RDF.type, LINK) in g:
        quoted = g.value(locator, PROV.wasDerivedFrom)
    if quoted is None:  # the quote is the row's own words
        return str(evidence), " | ".join(_table_row_cells(ds, locator))
    if any(ds.quads((quoted, RDF.type, LINK, None))):  # a clause's link rests on its paragraph's
        parents = {q[2] for q in ds.quads((quoted, PROV.wasDerivedFrom, None, None))}
        paragraphs = [p for p in parents if "/paragraph/" in str(p)]
        if len(paragraphs) == 1 and (None, RDF.type, None) not in _table_graph_or_none(ds, quoted):
            quoted = paragraphs[0]
        else:
            return str(evidence), evidence_source(ds, quoted)[1]
    if "/paragraph/" in str(quoted) or "/footnote/" in str(quoted):
        text = next((q[2] for q in ds.quads((quoted, TEXT, None, None))), None)
        if text is None:
            raise AssertionError(f"{locator}: {quoted} has no text")
        return str(evidence), str(text)
    if any(ds.quads((quoted, RDF.type, TABLE_ROW, None))):
        return str(evidence), " | ".join(_table_row_cells(ds, quoted))
    line = g.value(locator, SOURCE_LINE)
    source = ds.graph(PROVENANCE).value(quoted, SOURCE_FILE)
    if line is None or source is None:
        raise AssertionError(f"{locator}: {quoted} is neither a paragraph nor a seed with a line")
    return str(evidence), _file(str(source)).splitlines()[int(line) - 1]


def quote_found(ds: Dataset, locator: URIRef) -> bool:
    evidence, text = evidence_source(ds, locator)
    return verbatim(evidence) in verbatim(text)
