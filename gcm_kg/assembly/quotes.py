"""Where a curated row's quote stands in its seed: the paragraph, or the line of the file.

Curated tables for commitments, offices and people cite a seed and quote it. The quote must
occur in the paragraph the row names (the declaration) or on one line of the seed (the other
seeds have no numbered paragraphs); the build records that paragraph or line as the locator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, URIRef
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.rows import add_row, describes
from gcm_kg.assembly.sources import (
    BY_SLUG,
    SEED_DECLARATION,
    SEEDS,
    Source,
    SourceReader,
    check_evidence,
    line_of,
)

Quad = tuple[Any, Any, Any, Any]


@dataclass(frozen=True)
class Located:
    """A checked quote: the resource it comes from (paragraph or document) and its line."""

    source: Source
    origin: URIRef
    evidence: str
    line: int | None
    table_line: int  # the curated table's row that quotes it

    def record(self, asm: Assembly, table: Source, subject: URIRef) -> URIRef:
        """The table's row (with the quote, the paragraph or document and the line) is where the
        subject's facts in the table's graph come from; returns the row."""
        row = add_row(asm, table, self.table_line, self.evidence, (self.origin, self.line))
        describes(asm, table, row, subject)
        return row


class Quotes:
    """Checks quotes of one curated table against the seeds it cites."""

    def __init__(self, reader: SourceReader, decl: Declaration, table: Source) -> None:
        self.reader, self.decl, self.table = reader, decl, table

    def seed(self, line: int, slug: str) -> Source:
        src = BY_SLUG.get(slug)
        if src is None or src not in SEEDS:
            raise self.reader.fail(self.table, line, f"unknown source {slug!r}; use a seed's slug")
        return src

    def paragraph_text(self, line: int, value: str) -> tuple[int, str]:
        texts = {p.number: p.text for p in self.decl.paragraphs}
        n = int(value) if value.isdigit() else 0
        if n not in texts:
            raise self.reader.fail(self.table, line, f"no paragraph {value!r} in the declaration")
        return n, texts[n]

    def locate(self, line: int, slug: str, evidence: str, paragraph: str = "") -> Located:
        """Check the quote where the row says it stands; fail with the table's line if not."""
        src = self.seed(line, slug)
        if paragraph:
            if src is not SEED_DECLARATION:
                raise self.reader.fail(
                    self.table, line, "a paragraph number is only valid for the declaration"
                )
            n, text = self.paragraph_text(line, paragraph)
            if not check_evidence(evidence, text):
                raise self.reader.fail(
                    self.table, line, f"evidence {evidence!r} does not occur in paragraph {n}"
                )
            return Located(src, iris.paragraph(n), evidence, None, line)
        if src is SEED_DECLARATION:
            raise self.reader.fail(
                self.table, line, "give the paragraph the declaration quote stands in"
            )
        text = self.reader.text(src)
        at = line_of(evidence, text)
        if at is None:
            raise self.reader.fail(
                self.table,
                line,
                f"evidence {evidence!r} does not occur on one line of {src.relpath}",
            )
        return Located(src, iris.document(src.slug), evidence, at, line)


def stated(asm: Assembly, s: URIRef | None, p: URIRef | None, o: Node | None) -> list[Quad]:
    """Matching quads in any named graph (the dataset's default graph is not their union)."""
    return list(asm.dataset.quads((s, p, o, None)))  # type: ignore[arg-type]


def typed(asm: Assembly, iri: URIRef, *classes: URIRef) -> bool:
    return any(stated(asm, iri, RDF.type, c) for c in classes)


def label(asm: Assembly, iri: URIRef) -> str:
    found = stated(asm, iri, RDFS.label, None)
    return str(found[0][2]) if found else str(iri)
