"""A pledge's page shows the qualifiers its source table gives: an incomplete objective list
says so, and the evidence strength and the date's meaning are visible."""

from __future__ import annotations

import html
import json


def test_pledge_page_shows_an_incomplete_objective_list_and_evidence_strength(ld) -> None:  # type: ignore[no-untyped-def]
    page = html.unescape(
        ld.get(
            "/id/pledge/review-national-implementation-plan-gcm", headers={"Accept": "text/html"}
        ).get_data(as_text=True)
    )
    assert "gcm:objectivesComplete" in page and "false" in page
    assert "no (list cut off after 8 in the stored copy)" in page
    assert "published pledge page + form record" in page
    assert "pledge form record created" in page


def test_pledge_json_ld_carries_the_qualifiers(ld) -> None:  # type: ignore[no-untyped-def]
    reply = ld.get(
        "/id/pledge/un-task-force-cdl-joint-pledge", headers={"Accept": "application/ld+json"}
    )
    assert reply.status_code == 200
    doc = json.loads(reply.get_data(as_text=True))
    text = json.dumps(doc)
    assert "objectivesStated" in text
    assert "evidenceStrength" in text


def test_stats_counts_the_sourced_pledges(ld) -> None:  # type: ignore[no-untyped-def]
    page = ld.get("/stats").get_data(as_text=True)
    per_objective = page[
        page.index('id="pledges-per-objective"') : page.index('id="pledges-per-round-table"')
    ]
    assert '<a href="/id/objective/4">4. Ensure that all migrants' in per_objective
    assert "</a></th><td>3<" in per_objective
    assert "No pledge in the graph names the objectives" not in page
    assert "minimums" in page


def test_api_pledges_frame_carries_the_qualifiers(ld) -> None:  # type: ignore[no-untyped-def]
    doc = ld.get("/api/pledges?objective=1").get_json()
    [pledge] = doc["member"]
    assert pledge["pledgerNames"] == ["Portugal (Ministry of Foreign Affairs)"]
    assert pledge["objectivesStated"] is True and pledge["objectivesComplete"] is False
    assert pledge["objectivesNote"] == "no (list cut off after 8 in the stored copy)"
    assert pledge["dateMeaning"] == "pledge form record created"
    assert pledge["evidenceStrength"] == "published pledge page + form record"
