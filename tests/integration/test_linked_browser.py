"""A person's path through the site in a real browser: Debian's headless Chromium, driven by
Playwright (no browser download), against the app served by waitress on a loopback port
(``browser`` and ``live_url``, one of each for the session, from conftest.py).

The query page belongs to the SPARQL endpoint and is tested with it.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture()
def page(browser, live_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_url)  # type: ignore[attr-defined]
    outside: list[str] = []

    def only_loopback(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(live_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    pg = context.new_page()
    yield pg
    context.close()
    assert not outside, f"the page tried to load from elsewhere: {outside}"


def test_click_from_home_to_objective_to_round_table_to_paragraph(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "gcm-kg" in page.title()
    page.get_by_role(
        "link", name="Objective 20: Promote faster, safer and cheaper transfer"
    ).click()
    page.wait_for_url("**/id/objective/20")
    assert page.locator("h1").inner_text().startswith("Objective 20: Promote faster")
    page.get_by_role("link", name="Round table 3", exact=True).first.click()
    page.wait_for_url("**/id/round-table/3")
    assert page.locator("h1").inner_text() == "Round table 3"
    page.get_by_role("link", name="Progress Declaration, paragraph 37", exact=True).first.click()
    page.wait_for_url("**/id/declaration/imrf-2022/paragraph/37")
    assert page.locator("h1").inner_text() == "Progress Declaration, paragraph 37"
    assert "Provenance" in page.content()


def test_stats_page_shows_charts_with_numbers(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/stats")
    charts = page.locator("svg.bars")
    assert charts.count() >= 3
    chart = page.locator("#paragraphs-per-objective svg.bars")
    assert chart.locator("rect").count() == 23
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300  # rendered, not collapsed
    assert (chart.locator("text.value").first.text_content() or "").isdigit()
    link = page.locator("#paragraphs-per-objective a.query")
    assert link.get_attribute("href").startswith("/sparql?query=")


def test_view_as_links_serve_data(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/id/objective/20")
    with page.expect_response("**/id/objective/20?format=turtle") as info:
        page.evaluate("fetch('/id/objective/20?format=turtle')")
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/turtle")


def test_query_page_runs_an_example_and_shows_a_table(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sparql")
    page.select_option("#example", "cq09-figures")
    assert "gcm:Figure" in page.locator("#query").input_value()
    page.get_by_role("button", name="Run query").click()
    table = page.locator("#results table")
    table.wait_for()
    assert table.locator("tr").count() > 10  # a header and the figures the sources state
    assert "281000000" in (table.text_content() or "")
    assert page.locator("#downloads a").count() >= 4  # one download link per result format


def test_stats_links_open_the_query_page_with_its_query(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/stats")
    page.locator("#paragraphs-per-objective a.query").first.click()
    page.get_by_role("button", name="Run query").click()
    page.locator("#results table").wait_for()
    assert page.locator("#results table tr").count() == 24  # header + 23 objectives


def test_objective_page_answers_before_all_statements(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/id/objective/20")
    addressing = page.locator(
        "section.answer",
        has=page.get_by_role("heading", name="Paragraphs and commitments that address it"),
    )
    text = addressing.inner_text()
    assert "Basis: curated" in text
    assert "Progress Declaration, paragraph 67" in text
    assert "reduce the average transaction cost of migrant remittances" in text
    sdg = page.locator(
        "section.answer", has=page.get_by_role("heading", name="SDG targets it serves")
    )
    assert "SDG target 10.c" in sdg.inner_text()
    first = addressing.bounding_box()
    table = page.get_by_role("heading", name="All statements").bounding_box()
    assert first is not None and table is not None and first["y"] < table["y"]


def test_from_an_office_to_its_request_to_what_fulfilled_it(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/id/office/president-of-the-general-assembly")
    requests = page.locator(
        "section.answer", has=page.get_by_role("heading", name="Requests addressed to it")
    )
    requests.get_by_role("link").first.click()
    page.wait_for_url("**/paragraph/77/commitment/1")
    lead = page.locator("p.lead").inner_text()
    assert "ask President of the General Assembly" in lead and "in the second half of 2024" in lead
    assert "Fulfilled" in lead
    done = page.locator("section.answer", has=page.get_by_role("heading", name="What fulfilled it"))
    done.get_by_role("link").first.click()
    page.wait_for_url("**/id/event/ga-informal-plenary-2024-12-05")
    assert page.locator("p.lead").inner_text().startswith("2024-12-05")
    people = page.locator(
        "section.answer",
        has=page.get_by_role("heading", name="People and the offices they held there"),
    )
    assert "Rose Kobusinge (IOM Youth Changemaker)" in " ".join(people.inner_text().split())
