"""The Progress Declaration parser: numbered paragraphs, clean text, sections, footnotes."""

from __future__ import annotations

import re

import pytest

from gcm_kg.assembly.declaration import Declaration, cited_symbols, clean, parse
from gcm_kg.config import Settings
from gcm_kg.errors import SourceError


@pytest.fixture(scope="module")
def decl(settings: Settings) -> Declaration:
    path = settings.shared_dir / "seeds" / "003_7bae42176274279c.txt"
    return parse(path.read_text(encoding="utf-8"), path)


def test_has_77_paragraphs_each_number_once(decl: Declaration) -> None:
    assert [p.number for p in decl.paragraphs] == list(range(1, 78))


def test_no_markup_or_footnote_markers_left(decl: Declaration) -> None:
    for p in decl.paragraphs:
        assert not re.search(r"[\[\]<>*#⁰¹²³⁴⁵⁶⁷⁸⁹]|\(#\)", p.text), p.number


def test_page_breaks_are_joined(decl: Declaration) -> None:
    assert "COVID-19) pandemic, including as essential workers," in decl.paragraphs[7].text
    assert (
        "realize the vision laid out in the Global Compact, including" in decl.paragraphs[70].text
    )


def test_links_keep_their_text(decl: Declaration) -> None:
    assert (
        "recall General Assembly resolution 73/195 of 19 December 2018" in decl.paragraphs[1].text
    )


def test_sections_in_order(decl: Declaration) -> None:
    titles = [s.title for s in decl.sections]
    assert titles[0] == "Introduction"
    assert titles[1].startswith("Progress, challenges and gaps")
    assert [s.round_table for s in decl.sections[2:6]] == [1, 2, 3, 4]
    assert titles[6].startswith("Recommended actions")


def test_paragraph_sections(decl: Declaration) -> None:
    by_number = {p.number: p.section for p in decl.paragraphs}
    assert by_number[1] is None  # the opening paragraph precedes the first heading
    assert by_number[2] == 1 and by_number[21] == 2
    assert by_number[30] == 4 and by_number[51] == 7


def test_round_table_2_objectives(decl: Declaration) -> None:
    assert decl.sections[3].objectives == [4, 8, 9, 10, 11, 13, 21]


def test_objective_titles_from_footnotes(decl: Declaration) -> None:
    assert len(decl.objective_titles) == 23
    assert decl.objective_titles[20] == (
        "Promote faster, safer and cheaper transfer of remittances and foster financial "
        "inclusion of migrants"
    )


def test_footnotes_attach_to_their_paragraph(decl: Declaration) -> None:
    assert decl.paragraphs[0].footnotes == [1, 2]
    assert decl.paragraphs[73].footnotes == [9, 10, 11]
    assert decl.sections[2].footnotes == [4]
    assert decl.footnotes[3].text == "A/76/642."


def test_cited_documents() -> None:
    assert cited_symbols("resolution 73/326 of 19 July 2019 and A/76/642") == [
        "A/RES/73/326",
        "A/76/642",
    ]


def test_clean_removes_markup() -> None:
    assert clean("resolution [73/195](#),¹ <sup>2</sup> **bold**") == "resolution 73/195, 2 bold"


def test_missing_annex_is_an_error() -> None:
    with pytest.raises(SourceError, match="no 'Annex' heading"):
        parse("1. Some text.\n", "x.txt")


def test_skipped_paragraph_names_the_line() -> None:
    text = (
        "Annex\n\nProgress Declaration of the International Migration Review Forum\n\n"
        "1. First.\n\n3. Third.\n"
    )
    with pytest.raises(SourceError, match=r"x\.txt:7: paragraph 3 where 2 was expected"):
        parse(text, "x.txt")


def test_footnote_without_marker_is_an_error() -> None:
    text = (
        "Annex\n\nProgress Declaration of the International Migration Review Forum\n\n"
        "1. First.\n\n¹ A footnote nobody points to.\n"
    )
    with pytest.raises(SourceError, match="footnote 1 has no marker"):
        parse(text, "x.txt")
