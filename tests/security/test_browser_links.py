"""In a real browser (Debian's headless Chromium via Playwright, as tests/integration): a
``javascript:`` IRI in the data is never a link, on a resource page or in a query answer, and
the pages run under their Content-Security-Policy without a single violation."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from tests.helpers import close_app, make_live_app
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow
ID = "https://w3id.org/gcm-kg/id/"


@pytest.fixture(scope="module")
def store(nquads: bytes) -> Iterator[Store]:
    """The built graph and a curator graph with script IRIs (written past the write path, as an
    older store could hold them)."""
    s = open_store("oxigraph:")
    s.replace_all(nquads)
    s.update(
        f"""INSERT DATA {{ GRAPH <https://example.org/mallory> {{
        <{ID}pledge/js> <http://xmlns.com/foaf/0.1/homepage> <javascript:alert(1)> ;
          <http://www.w3.org/2000/01/rdf-schema#label> "Script pledge"@en ;
          <https://w3id.org/gcm-kg/ontology#supportsObjective> <{ID}objective/20> ;
          a <https://w3id.org/gcm-kg/ontology#Pledge> . }} }}"""
    )
    yield s
    s.close()


@pytest.fixture(scope="module")
def base_url(settings: Settings, store: Store, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    app = make_live_app(settings, store, dump_dir=tmp_path_factory.mktemp("d"))
    server = LiveServer(app, threads=2)
    yield server.url
    server.close()
    close_app(app)


@pytest.fixture()
def page(browser, base_url: str):  # type: ignore[no-untyped-def]
    """A fresh context of the session's browser (conftest.py), its CSP reports collected."""
    context = browser.new_context(base_url=base_url)  # type: ignore[attr-defined]
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort()
    )
    pg = context.new_page()
    pg.violations = []
    pg.on(
        "console",
        lambda m: (
            pg.violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    yield pg
    context.close()


def _hrefs(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")  # type: ignore[no-any-return]


def test_a_script_iri_on_a_resource_page_is_text(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/id/pledge/js")
    assert "javascript:alert(1)" in page.content()
    assert not [h for h in _hrefs(page, "a") if h and h.lower().startswith("javascript:")]
    assert not page.violations


def test_a_script_iri_in_a_query_answer_is_text(page) -> None:  # type: ignore[no-untyped-def]
    query = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <https://example.org/ok> } }"
    page.goto("/sparql?query=" + quote(query))
    page.wait_for_selector("#results table")
    cells = page.locator("#results td").all_inner_texts()
    assert "javascript:alert(1)" in cells and "https://example.org/ok" in cells
    assert _hrefs(page, "#results a") == ["https://example.org/ok"]
    assert not page.violations  # the page's script ran under the CSP without a refusal
