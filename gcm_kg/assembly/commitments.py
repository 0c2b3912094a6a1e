"""Commitment and request clauses of the Progress Declaration as resources of their own.

``data/curated/declaration_commitments.csv`` quotes each operative clause verbatim ("We commit
to …", "We will …", "We aim to …", "We request the Secretary-General …", "we encourage …") with
who it asks to act, the time frame it states, the figures it sets as targets and, where a seed
says so, the document or event that did what it asked. The build checks every value against
the words it rests on: the clause must stand in its paragraph, the time frame and the operative
phrase in the clause, a due year in the time frame, a target figure's quote in the clause and a
fulfilment's quote on one line of its seed. A clause addresses the objectives whose paragraph
links quote words of that clause, so clause and paragraph links cannot disagree.

Who commits: the declaration speaks as "We", the Member States meeting at the Forum (paragraph
1: "We, the Heads of State and Government and High Representatives"; paragraph 5: "as Member
States of the United Nations"), so every clause is ``gcm:committedBy`` the Member States group.
"""

from __future__ import annotations

import re

from rdflib import RDFS, XSD, Literal, URIRef

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en, integer
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.declaration_rdf import add_link
from gcm_kg.assembly.quotes import Quotes, stated, typed
from gcm_kg.assembly.rows import add_row, describes
from gcm_kg.assembly.sources import DECLARATION_COMMITMENTS, SourceReader, normalise
from gcm_kg.namespaces import GCM

COMMITTED_BY = "member-states"
TYPES = {"commitment": GCM.Commitment, "request": GCM.Request}
COLUMNS = [
    "paragraph",
    "number",
    "type",
    "operative_phrase",
    "clause",
    "addressed_to",
    "time_frame",
    "due_by",
    "target_figure",
    "baseline_figure",
    "fulfilled_by",
    "fulfilment_source",
    "fulfilment_evidence",
    "fulfilment_rationale",
    "note",
]
_REFERENCES = {
    "office": (iris.office, (GCM.Office,)),
    "actor": (iris.actor, (GCM.UNEntity, GCM.ActorGroup, GCM.IntergovernmentalOrganization)),
    "group": (iris.actor, (GCM.ActorGroup,)),
    "document": (iris.document, (GCM.Document,)),
    "event": (iris.event, (GCM.Event,)),
}


def _within(part: str, whole: str) -> bool:
    return bool(part.strip()) and normalise(part) in normalise(whole)


class Commitments:
    """Reads the table row by row; ``fail`` names the table's line."""

    def __init__(
        self,
        asm: Assembly,
        reader: SourceReader,
        decl: Declaration,
        kinds: dict[int, list[tuple[str, str, str, int]]],
    ) -> None:
        self.asm, self.reader, self.decl, self.kinds = asm, reader, decl, kinds
        self.table = DECLARATION_COMMITMENTS
        self.quotes = Quotes(reader, decl, self.table)

    def fail(self, line: int | None, message: str) -> Exception:
        return self.reader.fail(self.table, line, message)

    def ref(self, line: int, value: str, allowed: tuple[str, ...]) -> URIRef:
        """``office:slug``, ``actor:slug``, ``group:slug``, ``document:slug`` or ``event:slug``."""
        kind, _, slug = value.partition(":")
        if kind not in allowed:
            raise self.fail(line, f"{value!r}: expected {' or '.join(allowed)} followed by :slug")
        mint, classes = _REFERENCES[kind]
        try:
            iri = mint(slug)
        except ValueError as exc:
            raise self.fail(line, str(exc)) from None
        if not typed(self.asm, iri, *classes):
            raise self.fail(line, f"the graph has no {kind} {slug!r}")
        return iri

    def run(self) -> None:
        committed_by = iris.actor(COMMITTED_BY)
        if not typed(self.asm, committed_by, GCM.ActorGroup):
            raise self.fail(None, f"the group {COMMITTED_BY!r} is missing from offices.csv")
        seen: dict[int, tuple[int, int]] = {}  # paragraph → (last number, end of last clause)
        for line, row in self.reader.rows(self.table, COLUMNS):
            n, text = self.quotes.paragraph_text(line, row["paragraph"])
            last, end = seen.get(n, (0, 0))
            if row["number"] != str(last + 1):
                raise self.fail(
                    line, f"paragraph {n}: clause number {row['number']!r}, not {last + 1}"
                )
            at = normalise(text).find(normalise(row["clause"]), end)
            if not row["clause"] or at < 0:
                raise self.fail(
                    line, f"the clause is not in paragraph {n} after the clause before it"
                )
            seen[n] = (last + 1, at + len(normalise(row["clause"])))
            self.clause(line, row, n, last + 1, committed_by)
        self.check_kinds(set(seen))

    def check_kinds(self, with_clauses: set[int]) -> None:
        """Paragraphs of kind commitment or request are exactly those with clauses."""
        operative = {
            n for n, rows in self.kinds.items() if {"commitment", "request"} & {r[0] for r in rows}
        }
        if operative != with_clauses:
            raise self.fail(
                None,
                "paragraphs with clauses and paragraphs of kind commitment or request differ: "
                f"no clause for {sorted(operative - with_clauses)}, "
                f"no such kind for {sorted(with_clauses - operative)}",
            )

    def clause(self, line: int, row: dict[str, str], n: int, k: int, by: URIRef) -> None:
        asm, table, clause = self.asm, self.table, row["clause"]
        rdf_type = TYPES.get(row["type"])
        if rdf_type is None:
            raise self.fail(line, f"type {row['type']!r} is not commitment or request")
        if row["type"] not in {kind for kind, *_ in self.kinds.get(n, [])}:
            raise self.fail(
                line, f"paragraph {n} is not of kind {row['type']!r} in paragraph_kinds.csv"
            )
        if not _within(row["operative_phrase"], clause):
            raise self.fail(line, "the operative phrase is not in the clause")
        c = iris.commitment(n, k)
        short = clause if len(clause) <= 80 else clause[:77].rstrip() + "…"
        asm.describe(table, c, rdf_type, f"Progress Declaration {n}.{k} ({row['type']}): {short}")
        asm.add(table, c, GCM.inParagraph, iris.paragraph(n))
        asm.add(table, c, GCM.commitmentNumber, integer(k))
        asm.add(table, c, GCM.text, en(clause))
        asm.add(table, c, GCM.operativePhrase, Literal(row["operative_phrase"]))
        asm.add(table, c, GCM.committedBy, by)
        describes(asm, table, add_row(asm, table, line, clause, (iris.paragraph(n), None)), c)
        if row["note"]:  # the curator's remark, e.g. why a request names no addressee
            asm.add(table, c, RDFS.comment, en(row["note"]))
        self.addressees(line, row, c)
        self.time_frame(line, row, c)
        self.figures(line, row, c)
        self.objectives(n, clause, c)
        self.fulfilment(line, row, c)

    def addressees(self, line: int, row: dict[str, str], c: URIRef) -> None:
        targets = [v.strip() for v in row["addressed_to"].split(";") if v.strip()]
        if row["type"] == "commitment" and targets:
            raise self.fail(line, "a commitment has no addressee; make it a request")
        if row["type"] == "request" and not targets and not row["note"]:
            raise self.fail(line, "a request needs an addressee, or a note saying it names none")
        for value in targets:
            self.asm.add(
                self.table, c, GCM.addressedTo, self.ref(line, value, ("office", "actor", "group"))
            )

    def time_frame(self, line: int, row: dict[str, str], c: URIRef) -> None:
        frame, due = row["time_frame"], row["due_by"]
        if frame:
            if not _within(frame, row["clause"]):
                raise self.fail(line, f"time frame {frame!r} is not in the clause")
            self.asm.add(self.table, c, GCM.timeFrame, Literal(frame))
        if due:
            if not re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", due) or due[:4] not in frame:
                raise self.fail(line, f"due_by {due!r} is not a year or date the time frame states")
            datatype = XSD.gYear if len(due) == 4 else XSD.date
            self.asm.add(self.table, c, GCM.dueBy, Literal(due, datatype=datatype))

    def figures(self, line: int, row: dict[str, str], c: URIRef) -> None:
        for col, prop in (
            ("target_figure", GCM.targetFigure),
            ("baseline_figure", GCM.baselineFigure),
        ):
            if not row[col]:
                continue
            try:
                f = iris.figure(row[col])
            except ValueError as exc:
                raise self.fail(line, str(exc)) from None
            quotes = [str(q[2]) for q in stated(self.asm, f, GCM.evidence, None)]
            if not typed(self.asm, f, GCM.Figure) or not quotes:
                raise self.fail(line, f"unknown figure {row[col]!r}")
            if not any(_within(q, row["clause"]) for q in quotes):
                raise self.fail(line, f"figure {row[col]!r} is not stated in the clause")
            if prop == GCM.targetFigure and not stated(self.asm, f, GCM.isTarget, Literal(True)):
                raise self.fail(
                    line, f"figure {row[col]!r} is not a target (figures.csv is_target)"
                )
            self.asm.add(self.table, c, prop, f)

    def objectives(self, n: int, clause: str, c: URIRef) -> None:
        """The paragraph's objective links whose quoted words stand in this clause."""
        para = iris.paragraph(n)
        for link in sorted({q[2] for q in stated(self.asm, para, GCM.qualifiedLink, None)}):
            if not stated(self.asm, link, GCM.linkProperty, GCM.addressesObjective):
                continue
            evidence = [str(q[2]) for q in stated(self.asm, link, GCM.evidence, None)]
            if not evidence or not _within(evidence[0], clause):
                continue
            target = stated(self.asm, link, GCM.linkTarget, None)[0][2]
            basis = str(stated(self.asm, link, GCM.linkBasis, None)[0][2]).rsplit("/", 1)[1]
            rationale = [str(q[2]) for q in stated(self.asm, link, GCM.rationale, None)]
            add_link(
                self.asm,
                self.table,
                c,
                GCM.concernsObjective,
                target,
                "objective-" + str(target).rsplit("/", 1)[1],
                basis,
                evidence=evidence[0],
                rationale=rationale[0] if rationale else None,
                derived_from=link,
            )

    def fulfilment(self, line: int, row: dict[str, str], c: URIRef) -> None:
        if not row["fulfilled_by"]:
            if row["fulfilment_source"] or row["fulfilment_evidence"]:
                raise self.fail(line, "fulfilment evidence without fulfilled_by")
            return
        target = self.ref(line, row["fulfilled_by"], ("document", "event"))
        if not row["fulfilment_rationale"]:
            raise self.fail(line, "a fulfilment needs the curator's rationale")
        located = self.quotes.locate(line, row["fulfilment_source"], row["fulfilment_evidence"])
        key = "fulfilled-by-" + row["fulfilled_by"].partition(":")[2]
        add_link(
            self.asm,
            self.table,
            c,
            GCM.fulfilledBy,
            target,
            key,
            "curated",
            evidence=located.evidence,
            rationale=row["fulfilment_rationale"],
            derived_from=located.origin,
        )
        if located.line is not None:
            self.asm.add(self.table, iris.link(c, key), GCM.sourceLine, integer(located.line))


def build(
    asm: Assembly,
    reader: SourceReader,
    decl: Declaration,
    kinds: dict[int, list[tuple[str, str, str, int]]],
) -> None:
    Commitments(asm, reader, decl, kinds).run()
