"""The README's tour cannot drift: its commands, run against a fresh build, print what it shows
(``python -m tests.readme_tour --write`` updates it after an intended change)."""

from __future__ import annotations

import pytest

from tests import readme_tour


@pytest.mark.slow
def test_the_tour_prints_what_the_readme_shows() -> None:
    done = readme_tour.run(readme_tour.README.read_text(encoding="utf-8"))
    assert len(done) >= 10  # the tour was found: build, named queries, SPARQL, HTTP, validate
    assert done[0].command.endswith("gcm-kg build")
    bad = [
        f"$ {s.command}\nREADME: {s.expected}\nnow:    {s.actual}" for s in done if not s.matches()
    ]
    assert not bad, "\n\n".join(bad)


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "…", "d"], ["a", "b", "c", "d"], True),
        (["a", "…", "d"], ["a", "d"], True),
        (["a", "…", "d"], ["a", "b", "c"], False),
        (["a", "b"], ["a", "b", "c"], False),
        ([], ["anything"], True),  # shown without output: only has to succeed
    ],
)
def test_elisions_match_any_lines(expected: list[str], actual: list[str], ok: bool) -> None:
    step = readme_tour.Step("x", expected, 0, 0, actual)
    assert step.matches() is ok


def test_steps_are_read_with_their_continuation_lines() -> None:
    text = "```console\n$ gcm-kg query 'SELECT\n  *'\nrow\n$ echo a \\\n  b\na b\n```\n"
    found = readme_tour.steps(text)
    assert [s.command for s in found] == ["gcm-kg query 'SELECT\n  *'", "echo a \\\n  b"]
    assert [s.expected for s in found] == [["row"], ["a b"]]
