"""Every page a person reaches from the site header, and one page of each designed kind, in a
real browser (#14, #15): complete content, the same header and navigation, nothing wider than a
390 px phone, and no serious or critical accessibility violation found by axe-core. Screenshots at desktop and phone width are kept in
``GCM_KG_SCREENSHOTS`` (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gcm_kg.config import Settings
from gcm_kg.sparql import named

PAGES = {
    "home": "/",
    "api": "/api",
    "sparql": "/sparql",
    "queries": "/queries",
    "query": "/queries/cq01-round-table-objectives?roundTable=2",
    "ontology": "/ontology",
    "stats": "/stats",
    "dataset": "/dataset",
    # one designed page of each kind (linked/views.py)
    "objective": "/id/objective/20",
    "action": "/id/objective/20/action/d",
    "paragraph": "/id/declaration/imrf-2022/paragraph/67",
    "commitment": "/id/declaration/imrf-2022/paragraph/70/commitment/1",
    "round-table": "/id/round-table/3",
    "principle": "/id/principle/human-rights",
    "actor": "/id/actor/mex",
    "office": "/id/office/president-of-the-general-assembly",
    "pledge": "/id/pledge/settlement-and-inclusion",
    "event": "/id/event/imrf-2022",
    "document": "/id/document/a-res-73-195",
    "concept": "/id/vocab/wording-basis/final-draft",
}
NAV = [
    "gcm-kg",
    "Objectives",
    "Round tables",
    "Paragraphs",
    "Stats",
    "Query",
    "Named queries",
    "Ontology",
    "API",
    "Dataset",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("GCM_KG_SCREENSHOTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser, live_url: str, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_url, viewport=viewport)  # type: ignore[attr-defined]
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_url) else route.abort()
        ),
    )
    return context, context.new_page()


@pytest.fixture()
def desktop(browser, live_url: str):  # type: ignore[no-untyped-def]
    context, page = _page(browser, live_url, DESKTOP)
    yield page
    context.close()


@pytest.fixture()
def phone(browser, live_url: str):  # type: ignore[no-untyped-def]
    context, page = _page(browser, live_url, PHONE)
    yield page
    context.close()


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(PAGES))
def test_same_header_no_overflow_no_serious_violation(
    desktop, phone, shots: Path, name: str
) -> None:  # type: ignore[no-untyped-def]
    url = PAGES[name]
    for page, label in ((desktop, "desktop"), (phone, "phone")):
        resp = page.goto(url)
        assert resp is not None and resp.status == 200, (url, resp and resp.status)
        page.wait_for_load_state("networkidle")
        links = page.locator("header.site nav a")
        assert links.all_inner_texts() == NAV, (url, links.all_inner_texts())
        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)
        assert (shots / f"{name}-{label}.png").stat().st_size > 1000
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide at {PHONE['width']} px"
    desktop.evaluate(_axe_script())  # through the devtools protocol: the page's CSP stays on
    result = desktop.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{url}: " + "; ".join(bad)


def test_api_page_shows_each_operation_with_summary_parameters_and_example(
    desktop, live_url: str
) -> None:  # type: ignore[no-untyped-def]
    desktop.goto("/api")
    sections = desktop.locator("section.operation")
    assert sections.count() >= 10
    pledges = desktop.locator(
        "section.operation", has=desktop.locator("h2", has_text="GET /api/pledges")
    )
    assert "Pledges and joint commitments" in pledges.locator("p.summary").inner_text()
    names = pledges.locator("table.params td code").all_inner_texts()
    assert {"objective", "actor", "sdg_target", "page"} <= set(names)
    for i in range(sections.count()):
        section = sections.nth(i)
        assert section.locator("p.summary").inner_text().strip(), section.locator("h2").inner_text()
        example = section.locator("p.example a")
        if example.count():
            href = example.get_attribute("href")
            answer = desktop.request.get(
                live_url.rstrip("/") + href, headers={"Accept": "application/ld+json"}
            )
            assert answer.status == 200, href  # every example works on this graph


def test_sparql_page_opens_with_an_example_that_runs(desktop) -> None:  # type: ignore[no-untyped-def]
    desktop.goto("/sparql")
    text = desktop.locator("#query").input_value()
    assert "SELECT" in text.upper()
    chosen = desktop.locator("#example").input_value()
    assert chosen  # the example is named in the list
    assert desktop.locator("#status").inner_text() == ""  # it waits to be run (no "Running…")
    desktop.click("button[type=submit]")
    desktop.wait_for_selector("#results table", timeout=30_000)
    assert desktop.locator("#results table tr").count() > 1


def test_queries_page_lists_every_named_query(desktop, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    desktop.goto("/queries")
    assert desktop.locator("section.query").count() == len(named.catalogue(settings.queries_dir))


def test_ontology_page_has_the_site_header_and_its_contents(desktop) -> None:  # type: ignore[no-untyped-def]
    desktop.goto("/ontology")
    assert desktop.locator("nav.toc li").count() > 10
    assert desktop.locator("h1").count() == 1
