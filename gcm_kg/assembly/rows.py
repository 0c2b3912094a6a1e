"""Table rows as locators: each row of a curated or reference table becomes a resource that
carries its evidence quote and the finest place in the source the quote is from.

A fact a row supports sits in the table's own named graph (attributed to the curation, not to
the seed the quote comes from). Either the fact's subject was derived from the row (entity
tables: one row describes one resource) or the row is the fact's reification (fact tables: one
row states one triple). ``tests/assembly/test_provenance_walk.py`` walks the graph with these rules.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en, integer
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.sources import SEED_DECLARATION, Source, SourceReader, check_evidence
from gcm_kg.errors import SourceError
from gcm_kg.namespaces import GCM


def seed_line(text: str, evidence: str) -> int | None:
    """The 1-based line of ``text`` that holds the whole quote, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if check_evidence(evidence, line):
            return number
    return None


def paragraph_of(decl: Declaration, evidence: str) -> int | None:
    """The number of the first declaration paragraph that holds the whole quote, or None."""
    for n, para in enumerate(decl.paragraphs, start=1):
        if check_evidence(evidence, para.text):
            return n
    return None


def add_row(
    asm: Assembly,
    table: Source,
    line: int,
    evidence: str,
    where: tuple[URIRef, int | None] | None,
    *,
    source_url: str | None = None,
) -> URIRef:
    """Mint the row of ``table`` starting on ``line``, with its quote and, when ``where`` is given,
    the paragraph or the seed document and line the quote stands on."""
    r = iris.table_row(table.slug, line)
    add = asm.add
    add(table, r, RDF.type, GCM.TableRow)
    add(table, r, RDFS.label, en(f"{table.file}, line {line}"))
    add(table, r, GCM.inTable, asm.document_iri(table))
    add(table, r, GCM.lineNumber, integer(line))
    add(table, r, GCM.evidence, Literal(evidence))
    if source_url:
        add(table, r, GCM.sourceURL, Literal(source_url, datatype=XSD.anyURI))
    if where is not None:
        origin, seed_line = where
        add(table, r, GCM.quotedFrom, origin)
        add(table, r, PROV.wasDerivedFrom, origin)
        if seed_line is not None:
            add(table, r, GCM.sourceLine, integer(seed_line))
    return r


def describes(asm: Assembly, table: Source, row: URIRef, subject: URIRef) -> None:
    """The subject's facts in this table's graph come from the row (and the place it quotes)."""
    graph = asm.dataset.graph(asm.graph_iri(table))
    asm.add(table, subject, PROV.wasDerivedFrom, row)
    for locator in graph.objects(row, GCM.quotedFrom):
        asm.add(table, subject, PROV.wasDerivedFrom, locator)
    evidence = graph.value(row, GCM.evidence)
    if evidence is not None:
        asm.add(table, subject, GCM.evidence, evidence)


def states(asm: Assembly, table: Source, row: URIRef, s: URIRef, p: URIRef, o: Node) -> None:
    """Assert ``s p o`` and record the row as its reification (one triple per row)."""
    asm.add(table, s, p, o)
    asm.add(table, row, RDF.subject, s)
    asm.add(table, row, RDF.predicate, p)
    asm.add(table, row, RDF.object, o)


class Rows:
    """Mints row resources and states facts with them."""

    def __init__(self, asm: Assembly, reader: SourceReader, decl: Declaration) -> None:
        self.asm, self.reader, self.decl = asm, reader, decl

    def row(
        self,
        table: Source,
        line: int,
        evidence: str,
        quoted_from: Source | None = None,
        *,
        paragraph: int | None = None,
        source_url: str | None = None,
    ) -> URIRef:
        """The row's resource. ``quoted_from`` is the seed the quote is from (None: the quote is
        the row's own words, e.g. a name copied from a cited table)."""
        where = None
        if quoted_from is not None:
            where = self.locator(table, line, evidence, quoted_from, paragraph)
        return add_row(self.asm, table, line, evidence, where, source_url=source_url)

    def locator(
        self, table: Source, line: int, evidence: str, src: Source, paragraph: int | None
    ) -> tuple[URIRef, int | None]:
        """The paragraph (declaration) or the document and line (other seeds) of a quote."""
        if src == SEED_DECLARATION:
            n = paragraph if paragraph is not None else paragraph_of(self.decl, evidence)
            if n is not None:
                return iris.paragraph(n), None
            for number, note in sorted(self.decl.footnotes.items()):
                if check_evidence(evidence, note.text):
                    return iris.footnote(number), None
        found = seed_line(self.reader.text(src), evidence)
        if found is None:
            raise SourceError(
                f"evidence {evidence!r} is not on one line of {src.relpath}",
                self.reader.path(table),
                line,
            )
        return self.asm.document_iri(src), found

    def describes(self, table: Source, row: URIRef, subject: URIRef) -> None:
        """The subject's facts in this table's graph come from the row."""
        describes(self.asm, table, row, subject)

    def states(self, table: Source, row: URIRef, s: URIRef, p: URIRef, o: Node) -> None:
        """Assert ``s p o`` and record the row as its reification (one triple per row)."""
        states(self.asm, table, row, s, p, o)
