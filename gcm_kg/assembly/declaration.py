"""Parse the Progress Declaration out of the seed text (a web page turned into text).

The seed has stray markdown links (``[73/195](#)``), bold markers, superscript footnote
markers (``¹``, ``¹⁰``), footnote blocks in the middle of the text and page breaks that cut a
paragraph in two. This module turns it into numbered paragraphs with clean text, their
sections, their footnotes and the documents they cite. It is pure: text in, model out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gcm_kg.errors import SourceError

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARKER = re.compile(f"[{_SUP_CHARS}]+")
_FOOTNOTE_BLOCK = re.compile(f"^([{_SUP_CHARS}]+)\\s+(.*)$", re.S)
_PARAGRAPH_START = re.compile(r"^(\d{1,3})\.\s+(.*)$", re.S)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_ROUND_TABLE = re.compile(r"^Round table (\d) \(objectives ([\d, and]+)\)$")
_OBJECTIVE_IN_FOOTNOTE = re.compile(r"[Oo]bjective (\d{1,2}): ([^;]+?)(?:;|\.?$)")
_ANNEX_TITLE = "Progress Declaration of the International Migration Review Forum"

# Document symbols the declaration cites, as they appear in its text.
_SYMBOLS = [
    (re.compile(r"\b[Rr]esolution (\d{2})/(\d{1,3})\b"), "A/RES/{0}/{1}"),
    (re.compile(r"\b(A/\d{2}/\d+)\b"), "{0}"),
    (re.compile(r"\b(FCCC/CP/\d{4}/\d+/Add\.\d+)"), "{0}"),
]


@dataclass
class Footnote:
    number: int
    text: str
    line: int
    cites: list[str] = field(default_factory=list)


@dataclass
class Section:
    order: int
    title: str
    line: int
    round_table: int | None = None
    objectives: list[int] = field(default_factory=list)
    footnotes: list[int] = field(default_factory=list)


@dataclass
class Paragraph:
    number: int
    text: str
    line: int
    section: int | None  # order of the section, None before the first heading
    footnotes: list[int] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)


@dataclass
class Declaration:
    title: str
    paragraphs: list[Paragraph]
    sections: list[Section]
    footnotes: dict[int, Footnote]
    objective_titles: dict[int, str]
    date: str | None = None


def clean(text: str) -> str:
    """Remove links, HTML, bold markers and footnote markers; fold white space."""
    text = _LINK.sub(r"\1", text)
    text = _HTML.sub("", text)
    text = text.replace("**", "")
    text = _MARKER.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def markers(text: str) -> list[int]:
    return [int(m.group(0).translate(SUPERSCRIPT)) for m in _MARKER.finditer(text)]


def cited_symbols(text: str) -> list[str]:
    found: list[str] = []
    for pattern, template in _SYMBOLS:
        for m in pattern.finditer(text):
            symbol = template.format(*m.groups())
            if symbol not in found:
                found.append(symbol)
    return found


def _blocks(text: str) -> list[tuple[int, str]]:
    """Blocks separated by blank lines, each with the 1-based line it starts on."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not current:
                start = i
            current.append(line.strip())
        elif current:
            blocks.append((start, " ".join(current)))
            current = []
    if current:
        blocks.append((start, " ".join(current)))
    return blocks


def parse(text: str, path: Path | str = "<declaration>") -> Declaration:
    """Parse the declaration; raise SourceError naming file and line on anything unexpected."""
    blocks = _blocks(text)
    try:
        annex = next(i for i, (_, b) in enumerate(blocks) if b == "Annex")
    except StopIteration:
        raise SourceError("no 'Annex' heading: not the Progress Declaration text", path) from None
    date_match = re.search(r"^\s*(\d{1,2} \w+ \d{4})\s*$", text, re.M)
    paragraphs: list[Paragraph] = []
    sections: list[Section] = []
    footnotes: dict[int, Footnote] = {}
    raw: dict[int, str] = {}
    title = ""
    for line, block in blocks[annex + 1 :]:
        if not title:
            if clean(block) != _ANNEX_TITLE:
                raise SourceError(f"expected the title {_ANNEX_TITLE!r}", path, line)
            title = clean(block)
            continue
        fn = _FOOTNOTE_BLOCK.match(block)
        if fn:
            number = int(fn.group(1).translate(SUPERSCRIPT))
            if number in footnotes:
                raise SourceError(f"footnote {number} appears twice", path, line)
            body = fn.group(2)
            footnotes[number] = Footnote(
                number, clean(body), line, cited_symbols(_LINK.sub(r"\1", body))
            )
            continue
        para = _PARAGRAPH_START.match(block)
        if para:
            number = int(para.group(1))
            expected = paragraphs[-1].number + 1 if paragraphs else 1
            if number != expected:
                raise SourceError(f"paragraph {number} where {expected} was expected", path, line)
            section = sections[-1].order if sections else None
            paragraphs.append(Paragraph(number, "", line, section))
            raw[number] = para.group(2)
            continue
        if paragraphs and not re.search(r"[.:;]\W*$", clean(raw[paragraphs[-1].number])):
            # a page break cut the paragraph: this block continues it
            raw[paragraphs[-1].number] += " " + block
            continue
        sections.append(_section(block, len(sections) + 1, line, path))
    if not paragraphs:
        raise SourceError("no numbered paragraphs after the Annex heading", path)
    for p in paragraphs:
        body = raw[p.number]
        p.text = clean(body)
        p.footnotes = markers(_LINK.sub(r"\1", body))
        p.cites = cited_symbols(_LINK.sub(r"\1", _MARKER.sub("", body)))
    _check_footnotes(paragraphs, sections, footnotes, path)
    return Declaration(
        title=title,
        paragraphs=paragraphs,
        sections=sections,
        footnotes=footnotes,
        objective_titles=_objective_titles(sections, footnotes, path),
        date=date_match.group(1) if date_match else None,
    )


def _section(block: str, order: int, line: int, path: Path | str) -> Section:
    title = clean(block)
    section = Section(order, title, line, footnotes=markers(block))
    rt = _ROUND_TABLE.match(title)
    if rt:
        section.round_table = int(rt.group(1))
        section.objectives = [int(n) for n in re.findall(r"\d+", rt.group(2))]
    elif len(title) > 200 or re.match(r"^[a-z]", title):
        raise SourceError(f"text outside any numbered paragraph: {title[:60]!r}", path, line)
    return section


def _check_footnotes(
    paragraphs: list[Paragraph],
    sections: list[Section],
    footnotes: dict[int, Footnote],
    path: Path | str,
) -> None:
    used = [n for p in paragraphs for n in p.footnotes] + [n for s in sections for n in s.footnotes]
    for n in used:
        if n not in footnotes:
            raise SourceError(f"footnote marker {n} has no footnote text", path)
    for n, fn in footnotes.items():
        if n not in used:
            raise SourceError(f"footnote {n} has no marker in the text", path, fn.line)


def _objective_titles(
    sections: list[Section], footnotes: dict[int, Footnote], path: Path | str
) -> dict[int, str]:
    """Official objective titles, from the footnotes of the round-table headings."""
    titles: dict[int, str] = {}
    for s in sections:
        if s.round_table is None:
            continue
        listed: list[int] = []
        for n in s.footnotes:
            for m in _OBJECTIVE_IN_FOOTNOTE.finditer(footnotes[n].text):
                titles[int(m.group(1))] = m.group(2).strip()
                listed.append(int(m.group(1)))
        if sorted(listed) != sorted(s.objectives):
            raise SourceError(
                f"round table {s.round_table}: heading lists objectives {s.objectives}, "
                f"its footnote gives titles for {listed}",
                path,
                s.line,
            )
    return titles
