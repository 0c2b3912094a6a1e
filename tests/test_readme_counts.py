"""README.md states the graph's real counts: this fails when they drift from data/graph/."""

from __future__ import annotations

import re

from tests.graph_counts import ROOT, counts

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _stated() -> dict[str, int]:
    section = README[README.index("### The graph in numbers") :]
    section = section[: section.index("\n\n", section.index("| what | count |"))]
    rows = re.findall(r"^\| ([^|]+?) \| ([\d,]+) \|$", section, flags=re.M)
    return {label: int(n.replace(",", "")) for label, n in rows}


def test_the_numbers_table_matches_the_built_graph() -> None:
    stated = _stated()
    assert len(stated) >= 10
    assert stated == counts()


def test_the_tour_build_line_matches_the_built_graph() -> None:
    actual = counts()
    [(quads, graphs)] = re.findall(r"built (\d+) quads in (\d+) named graphs", README)
    assert (int(quads), int(graphs)) == (actual["quads"], actual["named graphs"])


def test_a_drifted_number_is_caught() -> None:
    """The comparison can fail: one count off by one is a difference."""
    actual = counts()
    drifted = {**actual, "pledges": actual["pledges"] + 1}
    assert drifted != actual and _stated() != drifted
