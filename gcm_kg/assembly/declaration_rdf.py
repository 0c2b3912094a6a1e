"""The Progress Declaration as RDF: sections, paragraphs, footnotes and text-based links.

Links made here rest on the text alone: an explicit mention of an objective's number or full
title, and a principle's name. Each link is stated directly and qualified with its basis and the
words it rests on. The round table a paragraph is discussed under is section membership
(``gcm:discussedUnder``), never a claim that it addresses the round table's objectives. Kinds
come from the reviewed table (``paragraph_kinds.py``); the cue phrases below only propose them.
"""

from __future__ import annotations

import re

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en, integer
from gcm_kg.assembly.declaration import Declaration, Paragraph
from gcm_kg.assembly.sources import SEED_DECLARATION, Source
from gcm_kg.namespaces import GCM

SRC = SEED_DECLARATION

# Kind of paragraph → cue patterns on its clean text: a proposal for the reviewer, never the
# graph's answer (negations such as "Limited progress" fool them; data/curated/paragraph_kinds.csv
# decides). Order is the order kinds are reported. The review findings (progress, challenge)
# count only where no "we" statement matched.
KIND_CUES: list[tuple[str, str]] = [
    ("adoption", r"\bhave adopted\b"),
    (
        "commitment",
        r"\b[Ww]e (?:also |further )?(?:commit|recommit)\b|\b[Ww]e will\b|\b[Ww]e aim\b",
    ),
    ("determination", r"\b[Ww]e are determined\b|\bdeclare our profound solidarity\b"),
    (
        "recognition",
        r"\b[Ww]e (?:also )?(?:recognize|reaffirm|acknowledge|recall|commend|take note)\b",
    ),
    (
        "concern",
        r"\b[Ww]e (?:are|remain)(?: deeply)? concerned\b|\bremain deeply concerned\b"
        r"|\b[Ww]e condemn\b",
    ),
    ("welcome", r"\bwe welcome\b"),
    ("request", r"\b[Ww]e (?:also |further )?(?:request|invite|encourage)\b|\bcall upon\b"),
    (
        "progress",
        r"\b[Pp]rogress (?:has|was) (?:also )?(?:been )?(?:made|achieved)\b"
        r"|\b[Pp]rogress was also made\b|\b[Ee]fforts (?:have|are being|to)\b"
        r"|\bincreasing efforts\b|\bhave developed\b|\bhas been strengthened\b"
        r"|\bhave taken (?:action|steps)\b|\bdeclared remittances\b"
        r"|\blaunched\b",
    ),
    (
        "challenge",
        r"\bchallenges? (?:remain|exist)\b|\b[Gg]aps\b|\b[Ll]imited progress\b"
        r"|\b[Tt]he lack of\b|\binsufficient\b|\bcontinue to (?:struggle|face)\b"
        r"|\bstruggle\b|\bremains? limited\b|\bhave proven to be difficult\b"
        r"|\bremain widespread\b|\bare among the (?:key )?(?:risk factors|drivers)\b"
        r"|\bhave created and exacerbated\b|\bpersist\b|\bHowever\b",
    ),
]
FINDINGS = {"progress", "challenge"}
_KIND_RE = [(kind, re.compile(p)) for kind, p in KIND_CUES]

# Principle slug → phrases that name it in running text.
PRINCIPLE_NAMES: dict[str, list[str]] = {
    "people-centred": ["people-centred"],
    "international-cooperation": ["international cooperation"],
    "national-sovereignty": ["national sovereignty"],
    "rule-of-law-and-due-process": ["rule of law", "due process"],
    "sustainable-development": ["sustainable development"],
    "human-rights": ["human rights"],
    "gender-responsive": ["gender-responsive"],
    "child-sensitive": ["child-sensitive"],
    "whole-of-government-approach": ["whole-of-government"],
    "whole-of-society-approach": ["whole-of-society"],
}
# Proper names that contain a principle's words without invoking the principle.
_NOT_INVOCATIONS = re.compile(
    r"Agenda for Sustainable Development|Global Partnership for Sustainable Development"
    r"|forum on sustainable development|Sustainable Development Goals"
    r"|national human rights institutions"
)


def paragraph_kinds(text: str) -> list[tuple[str, str]]:
    """(kind, cue) pairs the cue phrases propose for a paragraph, in the order of KIND_CUES."""
    found: list[tuple[str, str]] = []
    for kind, pattern in _KIND_RE:
        if kind in FINDINGS and found:
            break
        m = pattern.search(text)
        if m:
            found.append((kind, m.group(0)))
    return found


def principle_mentions(text: str) -> list[tuple[str, str]]:
    text = _NOT_INVOCATIONS.sub("", text)
    found = []
    for slug, names in PRINCIPLE_NAMES.items():
        for name in names:
            m = re.search(r"\b" + re.escape(name) + r"\b", text, re.I)
            if m:
                found.append((slug, m.group(0)))
                break
    return found


def objective_mentions(text: str, titles: dict[int, str]) -> list[tuple[int, str]]:
    """Objectives named by number ('objective 20') or by their full official title."""
    found: dict[int, str] = {}
    for m in re.finditer(r"\b[Oo]bjectives? (\d{1,2})\b", text):
        n = int(m.group(1))
        if n in titles:
            found.setdefault(n, m.group(0))
    for n, title in titles.items():
        hit = re.search(re.escape(title), text, re.I)
        if hit:
            found.setdefault(n, hit.group(0))
    return sorted(found.items())


def add_link(
    asm: Assembly,
    source: Source,
    subject: URIRef,
    prop: URIRef,
    target: URIRef,
    key: str,
    basis: str,
    evidence: str | None = None,
    rationale: str | None = None,
    derived_from: URIRef | None = None,
) -> None:
    """State ``subject prop target`` and qualify it with its basis and evidence."""
    asm.add(source, subject, prop, target)
    link = iris.link(subject, key)
    asm.add(source, subject, GCM.qualifiedLink, link)
    asm.add(source, link, RDF.type, GCM.Link)
    asm.add(source, link, GCM.linkProperty, prop)
    asm.add(source, link, GCM.linkTarget, target)
    asm.add(source, link, GCM.linkBasis, iris.vocab("link-basis", basis))
    if evidence:
        asm.add(source, link, GCM.evidence, Literal(evidence))
    if rationale:
        asm.add(source, link, GCM.rationale, Literal(rationale))
    asm.add(source, link, PROV.wasDerivedFrom, derived_from or asm.document_iri(source))


def build(asm: Assembly, decl: Declaration) -> None:
    d = iris.declaration()
    doc = asm.document_iri(SRC)
    asm.describe(SRC, d, GCM.Declaration, decl.title)
    asm.add(SRC, d, DCTERMS.title, en(decl.title))
    asm.add(SRC, d, GCM.adoptedAt, iris.event("imrf-2022"))
    asm.derived(SRC, d, doc)
    for s in decl.sections:
        sec = iris.section(s.order)
        asm.describe(SRC, sec, GCM.DeclarationSection, s.title)
        asm.add(SRC, sec, DCTERMS.title, en(s.title))
        asm.add(SRC, sec, GCM.sectionOrder, integer(s.order))
        asm.add(SRC, sec, GCM.isPartOf, d)
        asm.add(SRC, sec, GCM.inDeclaration, d)
        asm.derived(SRC, sec, doc)
        for n in s.footnotes:
            asm.add(SRC, sec, GCM.hasFootnote, iris.footnote(n))
        if s.round_table:
            rt = iris.round_table(s.round_table)
            asm.add(SRC, sec, GCM.reportsOnRoundTable, rt)
            _round_table(asm, s.round_table, s.objectives, s.title, sec)
    for n, fn in sorted(decl.footnotes.items()):
        f = iris.footnote(n)
        asm.describe(SRC, f, GCM.Footnote, f"Footnote {n} of the Progress Declaration")
        asm.add(SRC, f, GCM.footnoteNumber, integer(n))
        asm.add(SRC, f, GCM.text, en(fn.text))
        asm.add(SRC, f, GCM.inDeclaration, d)
        asm.derived(SRC, f, doc)
        for symbol in fn.cites:
            asm.add(SRC, f, DCTERMS.references, iris.document_for_symbol(symbol))
    round_tables = {s.order: s.round_table for s in decl.sections if s.round_table}
    for p in decl.paragraphs:
        _paragraph(asm, decl, p, round_tables.get(p.section or 0))


def _round_table(asm: Assembly, n: int, objectives: list[int], heading: str, sec: URIRef) -> None:
    rt = iris.round_table(n)
    asm.describe(SRC, rt, GCM.RoundTable, f"Round table {n}")
    asm.add(SRC, rt, SKOS.prefLabel, en(f"Round table {n}"))
    asm.add(SRC, rt, GCM.roundTableNumber, integer(n))
    asm.add(SRC, rt, DCTERMS.isPartOf, iris.event("imrf-2022"))
    asm.derived(SRC, rt, sec, heading)
    for o in objectives:
        asm.add(SRC, rt, GCM.coversObjective, iris.objective(o))
        asm.add(SRC, iris.objective(o), GCM.coveredByRoundTable, rt)


def _paragraph(asm: Assembly, decl: Declaration, p: Paragraph, round_table: int | None) -> None:
    d = iris.declaration()
    para = iris.paragraph(p.number)
    asm.describe(SRC, para, GCM.DeclarationParagraph, f"Progress Declaration, paragraph {p.number}")
    asm.add(SRC, para, GCM.paragraphNumber, integer(p.number))
    asm.add(SRC, para, GCM.text, en(p.text))
    asm.add(SRC, para, GCM.inDeclaration, d)
    asm.derived(SRC, para, asm.document_iri(SRC))
    if p.section is None:
        asm.add(SRC, para, GCM.isPartOf, d)
    else:
        asm.add(SRC, para, GCM.inSection, iris.section(p.section))
    for n in p.footnotes:
        asm.add(SRC, para, GCM.hasFootnote, iris.footnote(n))
    cites = list(p.cites) + [s for n in p.footnotes for s in decl.footnotes[n].cites]
    for symbol in dict.fromkeys(cites):
        asm.add(SRC, para, DCTERMS.references, iris.document_for_symbol(symbol))
    if round_table is not None:
        # section membership: discussed under the round table, not a claim about its objectives
        asm.add(SRC, para, GCM.discussedUnder, iris.round_table(round_table))
    for o, words in objective_mentions(p.text, decl.objective_titles):
        add_link(
            asm,
            SRC,
            para,
            GCM.addressesObjective,
            iris.objective(o),
            f"objective-{o}",
            "explicit-mention",
            evidence=words,
            derived_from=para,
        )
    for slug, words in principle_mentions(p.text):
        add_link(
            asm,
            SRC,
            para,
            GCM.invokesPrinciple,
            iris.principle(slug),
            f"principle-{slug}",
            "explicit-mention",
            evidence=words,
            derived_from=para,
        )
