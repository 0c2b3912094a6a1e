"""The Compact's actions for portals: the ``/api/actions`` collection, its filters, their frames."""

from __future__ import annotations

import csv
from html.parser import HTMLParser

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


class _ListItems(HTMLParser):
    """The text of each <li> after the heading that starts with ``heading``."""

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading, self.in_h2, self.under, self.items = heading, False, False, []
        self.h2 = ""
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:  # type: ignore[no-untyped-def]
        if tag == "h2":
            self.in_h2, self.h2 = True, ""
        elif tag == "li" and self.under:
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.in_h2 = False
            self.under = self.h2.startswith(self.heading)
        elif tag == "li" and self.current is not None:
            self.items.append(" ".join("".join(self.current).split()))
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.in_h2:
            self.h2 += data
        elif self.current is not None:
            self.current.append(data)


def test_the_objective_page_lists_its_actions_with_the_wording_each_quotes(ld) -> None:
    parser = _ListItems("Actions (A/RES/73/195)")
    parser.feed(ld.get("/id/objective/20", headers={"Accept": "text/html"}).get_data(as_text=True))
    items = parser.items
    assert [i[:3] for i in items] == [f"({c})" for c in "abcdefghi"]
    assert items[0].startswith("(a) Develop a roadmap to reduce the transaction costs")
    assert "(final-draft wording (13 July 2018); not visible in the stored copies" in items[0]
    assert "adopted wording (A/RES/73/195); source is the adopted text" in items[4]
    assert "text incomplete" in items[3] and "text incomplete" not in items[4]
