"""Pledge spreadsheets become RDF; each error names its row and column."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from gcm_kg import iris
from gcm_kg.namespaces import GCM
from gcm_kg.writes.pledge_csv import parse_csv

DATA = Path(__file__).parents[1] / "data" / "pledges"


def test_rows_become_pledges() -> None:
    result = parse_csv((DATA / "good.csv").read_text())
    assert not result.errors
    g = result.graph
    p = iris.pledge("test-mex-remittances")
    assert (p, GCM.pledgedBy, iris.state("MEX")) in g
    assert (p, GCM.supportsObjective, iris.objective(20)) in g
    assert (p, GCM.relatedSDGTarget, iris.sdg_target("10.c")) in g
    assert (p, GCM.pledgeStatus, Literal("announced")) in g
    q = iris.pledge("test-iom-data")
    assert set(g.objects(q, GCM.pledgedBy)) == {iris.actor("iom"), iris.state("CRI")}


def test_errors_name_row_and_column() -> None:
    errors = [str(e) for e in parse_csv((DATA / "bad.csv").read_text()).errors]
    assert (
        "row 2, column id: 'Bad Id' is not a slug (lower-case letters, digits, hyphens)" in errors
    )
    assert "row 3, column objectives: '24' is not an objective number (1-23)" in errors
    assert "row 3, column date: '2022-13-01' is not an ISO 8601 date (YYYY-MM-DD)" in errors
    assert any(e.startswith("row 3, column status:") for e in errors)
    assert "row 3, column source_url: 'ftp://x' is not an http(s) URL" in errors
    assert "row 5, column id: 'fine' is already used in row 4" in errors
    assert "row 6, column actor: is required" in errors
    assert "row 6, column title: is required" in errors


def test_a_row_with_errors_adds_nothing() -> None:
    result = parse_csv((DATA / "bad.csv").read_text())
    assert result.pledges == [iris.pledge("fine")]
    assert set(result.graph.subjects()) == {iris.pledge("fine")}


def test_a_wrong_header_is_reported() -> None:
    result = parse_csv("id,actor,title\nx,MEX,T\n")
    assert str(result.errors[0]).startswith("row 1, column header: missing column(s): objectives")


def test_the_actions_column_names_the_actions_a_pledge_implements() -> None:
    result = parse_csv((DATA / "actions.csv").read_text())
    p = iris.pledge("test-remittance-roadmap")
    assert set(result.graph.objects(p, GCM.implementsAction)) == {
        iris.action(20, "a"),
        iris.action(20, "c"),
    }


def test_an_action_without_objective_and_letter_is_refused_by_name() -> None:
    errors = [str(e) for e in parse_csv((DATA / "actions.csv").read_text()).errors]
    for item in ("20", "24a", "20A", "xx"):
        assert (
            f"row 3, column actions: {item!r} is not an action: an objective number (1-23)"
            " and a letter, such as 20a"
        ) in errors
    assert len(errors) == 4


def test_the_actions_column_is_optional() -> None:
    assert not parse_csv((DATA / "good.csv").read_text()).errors
