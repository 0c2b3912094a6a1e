"""The Compact's lettered actions (A/RES/73/195 paragraphs 17-39) from ``data/gcm/actions.csv``.

Most texts in the table are the final draft of 13 July 2018, not the adopted wording, so each
action carries its wording basis and the table's check against the adopted text as data. An
incomplete text keeps its ``[…]`` gap and is marked ``gcm:textComplete false``: nothing here
completes or edits a text. The lettering is checked (letters run a, b, c… without a gap, the
paragraph is the objective's commitment paragraph) because links to actions rely on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en, integer
from gcm_kg.assembly.sources import GCM_ACTIONS, GCM_COMMITMENTS, GCM_OBJECTIVES, SourceReader
from gcm_kg.namespaces import GCM

COLUMNS = [
    "objective",
    "paragraph",
    "letter",
    "text",
    "text_complete",
    "text_basis",
    "check_against_adopted",
    "check_url",
    "corrections",
]
GAP = "[…"  # how the table marks the part of a text no source showed
#: who compiled the table and judged each check: the texts' origin is the action's
#: dcterms:source and gcm:sourceURL; the verdicts and corrections are this curation's
CURATION = iris.agent("gcm-reference-data")
CURATION_LABEL = "Curation of the gcm-kg reference tables (shared/data/gcm, described in SOURCE.md)"
FINAL_DRAFT = iris.vocab("wording-basis", "final-draft")
ADOPTED = iris.vocab("wording-basis", "adopted")


@dataclass(frozen=True)
class Action:
    """One row of the table, checked."""

    objective: int
    letter: str
    paragraph: int
    text: str
    complete: bool
    basis: URIRef
    line: int

    @property
    def iri(self) -> URIRef:
        return iris.action(self.objective, self.letter)

    @property
    def key(self) -> str:
        """The short name used in pledge tables and notations, such as ``20a``."""
        return f"{self.objective}{self.letter}"


def wording_basis(text_basis: str) -> URIRef | None:
    """The wording a ``text_basis`` cell names: the final draft, the adopted text, or neither."""
    lowered = text_basis.lower()
    if "final draft" in lowered:
        return FINAL_DRAFT
    if "adopted text" in lowered:
        return ADOPTED
    return None


def build(asm: Assembly, reader: SourceReader) -> list[Action]:
    """Add every action of the table to its named graph; a bad row stops the build."""
    src = GCM_ACTIONS
    paragraphs = _commitment_paragraphs(reader)
    actions: list[Action] = []
    seen: dict[tuple[int, str], int] = {}
    asm.add(src, CURATION, RDF.type, PROV.Agent)
    asm.add(src, CURATION, RDFS.label, en(CURATION_LABEL))
    for line, row in reader.rows(src, COLUMNS):
        action = _checked(reader, line, row, paragraphs, seen)
        actions.append(action)
        _describe(asm, action, row)
    _check_lettering(reader, actions)
    return actions


def _commitment_paragraphs(reader: SourceReader) -> dict[int, int]:
    """Objective → its commitment paragraph, as the objectives table (and the graph) has it."""
    found = {}
    for _, row in reader.rows(GCM_OBJECTIVES, ["objective", "commitment_paragraph_a_res_73_195"]):
        found[int(row["objective"])] = int(row["commitment_paragraph_a_res_73_195"])
    return found


def _checked(
    reader: SourceReader,
    line: int,
    row: dict[str, str],
    paragraphs: dict[int, int],
    seen: dict[tuple[int, str], int],
) -> Action:
    src = GCM_ACTIONS
    try:
        n = int(row["objective"])
        iris.objective(n)
        iris.action(n, row["letter"])
        paragraph = int(row["paragraph"])
    except ValueError as exc:
        raise reader.fail(src, line, str(exc)) from None
    if paragraphs.get(n) != paragraph:
        raise reader.fail(
            src,
            line,
            f"paragraph {paragraph} is not objective {n}'s commitment paragraph"
            f" ({paragraphs.get(n)} in {GCM_OBJECTIVES.relpath})",
        )
    if (n, row["letter"]) in seen:
        raise reader.fail(
            src, line, f"action {n}({row['letter']}) is already on line {seen[(n, row['letter'])]}"
        )
    seen[(n, row["letter"])] = line
    if row["text_complete"] not in ("yes", "no"):
        raise reader.fail(src, line, f"text_complete is {row['text_complete']!r}: use yes or no")
    complete = row["text_complete"] == "yes"
    text = row["text"]
    if not text:
        raise reader.fail(src, line, "the action has no text")
    if complete == (GAP in text):
        raise reader.fail(
            src,
            line,
            "an incomplete text must mark its gap with '[…', a complete one must not"
            f" (text_complete is {row['text_complete']})",
        )
    basis = wording_basis(row["text_basis"])
    if basis is None:
        raise reader.fail(
            src,
            line,
            f"text_basis {row['text_basis']!r} names neither the final draft nor the adopted text",
        )
    if not row["check_against_adopted"]:
        raise reader.fail(src, line, "check_against_adopted is empty")
    for url in _urls(row["check_url"]):
        if not re.fullmatch(r"https?://\S+", url):
            raise reader.fail(src, line, f"check_url {url!r} is not an http(s) URL")
    return Action(n, row["letter"], paragraph, text, complete, basis, line)


def _urls(cell: str) -> list[str]:
    return [u.strip() for u in cell.split("|") if u.strip()]


def _describe(asm: Assembly, a: Action, row: dict[str, str]) -> None:
    src = GCM_ACTIONS
    o = iris.objective(a.objective)
    asm.describe(src, a.iri, GCM.Action, f"Objective {a.objective}, action ({a.letter})")
    asm.add(src, a.iri, SKOS.notation, Literal(a.key))
    asm.add(src, o, GCM.hasAction, a.iri)
    asm.add(src, a.iri, GCM.actionOf, o)
    asm.add(src, a.iri, GCM.actionLetter, Literal(a.letter))
    asm.add(src, a.iri, GCM.compactParagraph, integer(a.paragraph))
    asm.add(src, a.iri, GCM.text, en(a.text))
    asm.add(src, a.iri, GCM.textComplete, Literal(a.complete, datatype=XSD.boolean))
    asm.add(src, a.iri, GCM.wordingBasis, a.basis)
    asm.add(src, a.iri, GCM.checkStatus, Literal(row["check_against_adopted"]))
    if row["corrections"]:
        asm.add(src, a.iri, GCM.correction, Literal(row["corrections"]))
    for url in _urls(row["check_url"]):
        asm.add(src, a.iri, GCM.sourceURL, Literal(url, datatype=XSD.anyURI))
    asm.add(src, a.iri, DCTERMS.source, Literal(row["text_basis"]))
    asm.add(src, a.iri, DCTERMS.isPartOf, iris.document_for_symbol("A/RES/73/195"))
    asm.add(
        src,
        a.iri,
        GCM.locator,
        Literal(
            f"A/RES/73/195, objective {a.objective}, paragraph {a.paragraph} ({a.letter});"
            f" {src.file}, line {a.line}"
        ),
    )
    asm.add(src, a.iri, PROV.wasDerivedFrom, asm.document_iri(src))
    asm.add(src, a.iri, PROV.wasAttributedTo, CURATION)
    commitment = iris.commitment_text(a.objective)
    if (commitment, RDF.type, GCM.CommitmentText) in asm.dataset.graph(
        asm.graph_iri(GCM_COMMITMENTS)
    ):
        asm.add(src, a.iri, GCM.realizesCommitment, commitment)


def _check_lettering(reader: SourceReader, actions: list[Action]) -> None:
    """Each objective's letters run a, b, c… without a gap, so a missing row cannot pass."""
    by_objective: dict[int, list[Action]] = {}
    for a in actions:
        by_objective.setdefault(a.objective, []).append(a)
    for n, listed in sorted(by_objective.items()):
        letters = sorted(a.letter for a in listed)
        expected = [chr(ord("a") + i) for i in range(len(letters))]
        if letters != expected:
            missing = sorted(set(expected) - set(letters))
            raise reader.fail(
                GCM_ACTIONS,
                max(a.line for a in listed),
                f"objective {n}'s actions are lettered {''.join(letters)}:"
                f" {', '.join(missing) or 'a gap'} missing",
            )
    absent = sorted(set(range(1, 24)) - set(by_objective))
    if absent:
        raise reader.fail(GCM_ACTIONS, None, f"no actions for objective(s) {absent}")
