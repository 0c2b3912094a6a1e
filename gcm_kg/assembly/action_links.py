"""Links to the Compact's actions from sources that name or quote them, each with its evidence.

- The GCM's own SDG citations made in an action (``gcm_sdg_links.csv``, relation "explicitly
  cited in action 36(a)"): the action gets ``gcm:relatedSDGTarget``, the quoted words checked
  against the action's text.
- Declaration paragraphs and pledges (the verbatim pledge text of a pledge table's row) that
  repeat an action's wording word for word: the longest common run of words (punctuation
  included, case ignored) of at least ``MIN_QUOTE_WORDS`` words. Shorter runs are the Compact's
  stock phrases ("in countries of origin, transit and destination", "the Global Compact for Safe,
  Orderly and Regular Migration"), shared by many actions, paragraphs and pledges, and say
  nothing about a particular action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from gcm_kg import iris
from gcm_kg.assembly.actions import Action
from gcm_kg.assembly.assemble import Assembly
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.declaration_rdf import add_link
from gcm_kg.assembly.sources import (
    GCM_ACTIONS,
    GCM_PLEDGES,
    GCM_SDG_LINKS,
    PLEDGES,
    SourceReader,
    check_evidence,
)
from gcm_kg.namespaces import GCM

MIN_QUOTE_WORDS = 13
_SEED = 6  # tokens in the index's n-grams; any quote long enough contains one
_TOKEN = re.compile(r"\w+(?:['\u2019-]\w+)*|[^\w\s]")
_CITED_IN = re.compile(r"\baction (\d{1,2})\(([a-z])\)")
_QUOTED = re.compile(r"'(?:\.\.\.|…)?\s*(.+?)'\s*$")


@dataclass(frozen=True)
class Passage:
    """A text that may repeat an action: who says it, and where that is found."""

    subject: URIRef  # the paragraph or pledge that would quote the action
    derived_from: URIRef  # the paragraph itself, or the table row holding the pledge's text
    text: str


@dataclass(frozen=True)
class Quote:
    passage: Passage
    action: Action
    words: int
    text: str  # as the passage writes it


def sdg_citations(
    asm: Assembly, reader: SourceReader, actions: list[Action], sdg_targets: set[URIRef]
) -> None:
    """Actions that cite an SDG target, as ``gcm_sdg_links.csv`` states with a quote."""
    src = GCM_SDG_LINKS
    by_place = {(a.paragraph, a.letter): a for a in actions}
    for line, row in reader.rows(src, ["objective", "sdg_target", "relation", "evidence"]):
        cited = _CITED_IN.search(row["relation"])
        if not cited:
            continue  # an objective-level link (gcm_kg.assembly.reference)
        action = by_place.get((int(cited.group(1)), cited.group(2)))
        if action is None:
            raise reader.fail(src, line, f"no action {cited.group(0)[7:]} in the actions table")
        if str(action.objective) != row["objective"]:
            raise reader.fail(
                src,
                line,
                f"action {action.key} is objective {action.objective}'s, not"
                f" objective {row['objective']}'s",
            )
        target = iris.sdg_target(row["sdg_target"])
        if target not in sdg_targets:
            raise reader.fail(src, line, f"{target} is not an SDG target of the SDG KOS")
        quoted = _QUOTED.search(row["evidence"])
        if not quoted or not check_evidence(quoted.group(1), action.text):
            raise reader.fail(
                src, line, f"the evidence quotes no words of action {action.key}'s text"
            )
        add_link(
            asm,
            src,
            action.iri,
            GCM.relatedSDGTarget,
            target,
            "sdg-" + row["sdg_target"].replace(".", "-"),
            "stated-by-source",
            evidence=quoted.group(1),
        )


def _tokens(text: str) -> list[tuple[str, int, int]]:
    found = _TOKEN.finditer(text)
    return [(m.group().lower().replace("\u2019", "'"), m.start(), m.end()) for m in found]


def find_quotes(passages: list[Passage], actions: list[Action]) -> list[Quote]:
    """Each passage's longest verbatim run of each action's words, when long enough."""
    words = [[t[0] for t in _tokens(a.text)] for a in actions]
    index: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for k, toks in enumerate(words):
        for j in range(len(toks) - _SEED + 1):
            index.setdefault(tuple(toks[j : j + _SEED]), []).append((k, j))
    quotes = []
    for passage in passages:
        ptoks = _tokens(passage.text)
        pw = [t[0] for t in ptoks]
        best: dict[int, tuple[int, int]] = {}  # action → (start, end) in the passage's tokens
        for i in range(len(pw) - _SEED + 1):
            for k, j in index.get(tuple(pw[i : i + _SEED]), ()):
                if i and j and pw[i - 1] == words[k][j - 1]:
                    continue  # not the start of a maximal run
                end = i + _SEED
                while (
                    end < len(pw)
                    and j + end - i < len(words[k])
                    and (pw[end] == words[k][j + end - i])
                ):
                    end += 1
                if end - i > (best[k][1] - best[k][0] if k in best else 0):
                    best[k] = (i, end)
        for k, (i, end) in sorted(best.items()):
            run = ptoks[i:end]
            n_words = sum(1 for t in run if t[0][0].isalnum() or t[0][0] == "_")
            text = passage.text[run[0][1] : run[-1][2]]
            if n_words >= MIN_QUOTE_WORDS and check_evidence(text, actions[k].text):
                quotes.append(Quote(passage, actions[k], n_words, text))
    return quotes


def _link(asm: Assembly, quotes: list[Quote]) -> None:
    for q in quotes:
        add_link(
            asm,
            GCM_ACTIONS,
            q.passage.subject,
            GCM.quotesAction,
            q.action.iri,
            f"action-{q.action.key}",
            "verbatim-quote",
            evidence=q.text,
            derived_from=q.passage.derived_from,
        )


def paragraph_quotes(asm: Assembly, decl: Declaration, actions: list[Action]) -> list[Quote]:
    """Link each paragraph to the actions whose wording it repeats, the words as evidence."""
    passages = [
        Passage(iris.paragraph(p.number), iris.paragraph(p.number), p.text) for p in decl.paragraphs
    ]
    quotes = find_quotes(passages, actions)
    _link(asm, quotes)
    return quotes


def pledge_quotes(asm: Assembly, reader: SourceReader, actions: list[Action]) -> list[Quote]:
    """Link each pledge to the actions whose wording its text repeats, from its table row.

    The pledge tables' ``evidence`` column holds the pledge's own words (from its published page,
    or quoted from a seed); the link derives from that row, where the words are found.
    """
    passages = []
    for table, key in ((GCM_PLEDGES, "id"), (PLEDGES, "slug")):
        for line, row in reader.rows(table, [key, "evidence"]):
            row_iri = iris.table_row(table.slug, line)
            passages.append(Passage(iris.pledge(row[key]), row_iri, row["evidence"]))
    quotes = find_quotes(passages, actions)
    _link(asm, quotes)
    return quotes
