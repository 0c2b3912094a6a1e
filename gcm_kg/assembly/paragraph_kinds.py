"""Paragraph kinds from the reviewed table ``data/curated/paragraph_kinds.csv``.

Cue phrases (``declaration_rdf.KIND_CUES``) only propose a kind: they read "Limited progress has
been made" as progress. A reviewer read all 77 paragraphs and recorded each kind with the words
that decide it; the build takes the table as the answer, checks every quote against its
paragraph and stops when a paragraph has no kind.
"""

from __future__ import annotations

from rdflib import Literal

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.declaration_rdf import KIND_CUES, add_link
from gcm_kg.assembly.rows import add_row, states
from gcm_kg.assembly.sources import PARAGRAPH_KINDS, SourceReader, check_evidence
from gcm_kg.namespaces import GCM

KINDS = tuple(kind for kind, _ in KIND_CUES)


def read(reader: SourceReader, decl: Declaration) -> dict[int, list[tuple[str, str, str, int]]]:
    """Paragraph number → [(kind, evidence, note, line)], checked against the paragraph texts."""
    table = PARAGRAPH_KINDS
    texts = {p.number: p.text for p in decl.paragraphs}
    kinds: dict[int, list[tuple[str, str, str, int]]] = {}
    for line, row in reader.rows(table, ["paragraph", "kind", "evidence", "note"]):
        try:
            n = int(row["paragraph"])
        except ValueError:
            n = 0
        if n not in texts:
            raise reader.fail(table, line, f"no paragraph {row['paragraph']!r} in the declaration")
        if row["kind"] not in KINDS:
            raise reader.fail(
                table, line, f"unknown kind {row['kind']!r}; use one of {', '.join(KINDS)}"
            )
        if not check_evidence(row["evidence"], texts[n]):
            raise reader.fail(
                table, line, f"evidence {row['evidence']!r} does not occur in paragraph {n}"
            )
        if any(k == row["kind"] for k, *_ in kinds.get(n, [])):
            raise reader.fail(table, line, f"paragraph {n} has kind {row['kind']!r} twice")
        kinds.setdefault(n, []).append((row["kind"], row["evidence"], row["note"], line))
    missing = sorted(set(texts) - set(kinds))
    if missing:
        raise reader.fail(
            table, None, f"no kind for paragraph(s) {', '.join(map(str, missing))}; review them"
        )
    return kinds


def build(
    asm: Assembly, reader: SourceReader, decl: Declaration
) -> dict[int, list[tuple[str, str, str, int]]]:
    """Add the kinds with their qualified links; return the table as read."""
    table = PARAGRAPH_KINDS
    kinds = read(reader, decl)
    for n, rows in sorted(kinds.items()):
        para = iris.paragraph(n)
        for kind, evidence, note, line in rows:
            target = iris.vocab("paragraph-kind", kind)
            row = add_row(asm, table, line, evidence, (para, None))
            states(asm, table, row, para, GCM.kindCue, Literal(f"{kind}: {evidence}"))
            add_link(
                asm,
                table,
                para,
                GCM.paragraphKind,
                target,
                f"kind-{kind}",
                "curated",
                evidence=evidence,
                rationale=note or f"The quoted words show what the paragraph does: {kind}.",
                derived_from=para,
            )
    return kinds
