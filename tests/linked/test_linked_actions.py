"""The Compact's actions for portals: the ``/api/actions`` collection, its filters, their frames."""

from __future__ import annotations

import csv

from rdflib import XSD, Literal, URIRef

from gcm_kg.config import Settings
from tests.linked.helpers import BASE, expand_to_graph

ID = BASE + "id/"
GCM = "https://w3id.org/gcm-kg/ontology#"
JSONLD = {"Accept": "application/ld+json"}


def _ids(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return [m["id"] for m in doc["member"]]


def test_the_collection_holds_all_187_actions_in_objective_and_letter_order(ld) -> None:
    doc = ld.get("/api/actions?per_page=12").get_json()
    assert doc["totalItems"] == 187
    expected = [f"{ID}objective/1/action/{c}" for c in "abcdefghijk"] + [
        f"{ID}objective/2/action/a"
    ]
    assert _ids(doc) == expected


def test_filter_by_objective_lists_its_actions_by_letter(ld) -> None:
    doc = ld.get("/api/actions?objective=20&per_page=100").get_json()
    assert _ids(doc) == [f"{ID}objective/20/action/{c}" for c in "abcdefghi"]


def test_filter_incomplete_texts_finds_objective_20s_two(ld) -> None:
    doc = ld.get("/api/actions?complete=false").get_json()
    assert _ids(doc) == [f"{ID}objective/20/action/d", f"{ID}objective/20/action/i"]
    for m in doc["member"]:
        assert m["textComplete"] is False and "[…" in m["text"]


def test_filter_by_wording_says_which_text_each_quotes(ld) -> None:
    doc = ld.get("/api/actions?wording=adopted&per_page=100").get_json()
    assert _ids(doc) == [f"{ID}objective/20/action/{c}" for c in "efghi"]
    basis = doc["member"][0]["wordingBasis"]
    assert basis["id"] == ID + "vocab/wording-basis/adopted"
    assert basis["prefLabel"] == "adopted wording (A/RES/73/195)"


def test_bad_action_filters_are_refused(ld) -> None:
    assert ld.get("/api/actions?complete=maybe").status_code == 400
    assert ld.get("/api/actions?wording=blog-post").status_code == 404
    assert ld.get("/api/pledges?action=24a").status_code == 400
    assert ld.get("/api/pledges?action=20z").status_code == 404


def test_pledges_filter_by_the_action_they_implement(fixture_client) -> None:
    doc = fixture_client.get("/api/pledges?action=20a").get_json()
    assert _ids(doc) == [f"{ID}pledge/test-remittance-pledge"]
    assert doc["member"][0]["implementsActions"][0]["id"] == f"{ID}objective/20/action/a"


def test_an_actions_json_ld_states_the_tables_text_and_check(ld, settings: Settings) -> None:
    path = settings.shared_dir / "data" / "gcm" / "actions.csv"
    with path.open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if (r["objective"], r["letter"]) == ("20", "a"))
    doc = ld.get("/id/objective/20/action/a", headers=JSONLD).get_json()
    assert "Action" in doc["type"]
    assert (doc["notation"], doc["actionLetter"], doc["compactParagraph"]) == ("20a", "a", 36)
    assert doc["actionOf"]["id"] == f"{ID}objective/20"
    assert doc["checkStatus"] == row["check_against_adopted"]
    g = expand_to_graph(doc)
    a = URIRef(f"{ID}objective/20/action/a")
    assert (a, URIRef(GCM + "text"), Literal(row["text"], lang="en")) in g
    assert (a, URIRef(GCM + "textComplete"), Literal(True, datatype=XSD.boolean)) in g
    assert (a, URIRef(GCM + "relatedSDGTarget"), URIRef("http://metadata.un.org/sdg/10.c")) in g


def test_a_paragraph_that_quotes_an_action_is_listed_on_the_action(ld) -> None:
    doc = ld.get("/id/objective/8/action/a", headers=JSONLD).get_json()
    assert f"{ID}declaration/imrf-2022/paragraph/65" in [r["id"] for r in doc["quotedBy"]]


def test_the_objective_frame_lists_its_actions_with_labels(ld) -> None:
    doc = ld.get("/api/objectives/20").get_json()
    assert [r["id"] for r in doc["actions"]] == [
        f"{ID}objective/20/action/{c}" for c in "abcdefghi"
    ]
    assert doc["actions"][0]["label"] == "Objective 20, action (a)"
