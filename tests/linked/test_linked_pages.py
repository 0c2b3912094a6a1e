"""The home page, browse lists, the coverage page and its charts, and the context file."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from gcm_kg.linked.charts import Bar, bar_chart
from gcm_kg.linked.context import load
from gcm_kg.linked.frames import BY_TYPE, GENERIC
from gcm_kg.sparql import named


def test_home_page_links_everywhere_a_visitor_starts(ld) -> None:
    page = ld.get("/").get_data(as_text=True)
    for href in (
        "/browse/objectives",
        "/browse/round-tables",
        "/browse/paragraphs",
        "/stats",
        "/sparql",
        "/api",
        "/openapi.json",
        "/dataset",
        "/id/objective/20",
        "/id/round-table/3",
        "/id/principle/child-sensitive",
    ):
        assert f'href="{href}"' in page, href


def test_browse_lists_resources_in_order(ld) -> None:
    page = ld.get("/browse/paragraphs").get_data(as_text=True)
    numbers = [
        int(n) for n in re.findall(r'href="/id/declaration/imrf-2022/paragraph/(\d+)"', page)
    ]
    assert numbers == list(range(1, 78))
    assert ld.get("/browse/unicorns").status_code == 404


def test_stats_numbers_are_what_the_linked_queries_return(
    ld, linked_settings, oxigraph_store
) -> None:  # type: ignore[no-untyped-def]
    page = ld.get("/stats").get_data(as_text=True)
    links = re.findall(r'<a class="query" href="([^"]+)"', page)
    assert len(links) == 5
    texts = {
        named.get(linked_settings.queries_dir, n).sparql
        for n in (
            "cq06-pledges-per-objective",
            "cq06-pledges-per-round-table",
            "cq06-objective-coverage",
            "cq04-sdg-targets-reached",
        )
    }
    for link in links:
        url = urlsplit(link.replace("&amp;", "&"))
        assert url.path == "/sparql"
        assert parse_qs(url.query)["query"][0] in texts
    rows = oxigraph_store.query(
        named.get(linked_settings.queries_dir, "cq06-objective-coverage").sparql
    ).rows
    twenty = next(r for r in rows if int(r["number"]) == 20)
    section = page[page.index('id="paragraphs-per-objective"') : page.index('id="sdg-targets"')]
    assert re.search(
        r'<a href="/id/objective/20">20\. Promote[^<]*</a></th><td>'
        + str(int(twenty["paragraphs"]))
        + "<",
        section,
    )
    assert '<svg class="bars"' in section


def test_stats_page_is_self_contained(ld) -> None:
    """Charts are inline SVG: no script, no stylesheet or image loaded from anywhere."""
    page = ld.get("/stats").get_data(as_text=True)
    assert "<script" not in page
    assert " src=" not in page
    assert "<link" not in page and "@import" not in page


def test_stats_list_objectives_without_pledges_and_counts_fixture_pledges(fixture_client) -> None:
    page = fixture_client.get("/stats").get_data(as_text=True)
    per_objective = page[
        page.index('id="pledges-per-objective"') : page.index('id="pledges-per-round-table"')
    ]
    assert re.search(r">20\. Remittances \(fixture\)</a></th><td>1<", per_objective)
    assert re.search(r">2\. Drivers \(fixture\)</a></th><td>0<", per_objective)
    per_round_table = page[
        page.index('id="pledges-per-round-table"') : page.index('id="paragraphs-per-objective"')
    ]
    assert re.search(r">Round table 3</a></th><td>1<", per_round_table)
    missing = page[page.index('id="objectives-not-addressed"') :]
    assert "No pledge: 2. Drivers (fixture)" in missing
    assert "No pledge: 20." not in missing
    assert "No paragraph: 1. Data (fixture)" in missing


def test_chart_escapes_labels_and_scales_bars() -> None:
    svg = bar_chart([Bar("<b>x</b>", 10, "/id/x?a=1&b=2"), Bar("y", 5)], "t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a=1&amp;b=2" in svg
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths[0] == 2 * widths[1]
    assert ">10<" in svg and ">5<" in svg


def test_every_frame_key_is_a_context_term() -> None:
    ctx = load()
    for _, frame in [*BY_TYPE, ("", GENERIC)]:
        for key in frame.keys:
            assert key in ctx.terms, (frame.name, key)


def test_every_ontology_property_has_exactly_one_plain_context_key(oxigraph_store) -> None:  # type: ignore[no-untyped-def]
    ctx = load()
    rows = oxigraph_store.query(
        "SELECT ?p WHERE { GRAPH <https://w3id.org/gcm-kg/id/graph/ontology> { "
        "{ ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> } UNION "
        "{ ?p a <http://www.w3.org/2002/07/owl#DatatypeProperty> } "
        "FILTER STRSTARTS(STR(?p), 'https://w3id.org/gcm-kg/ontology#') } }"
    ).rows
    assert rows
    missing = [str(r["p"]) for r in rows if not ctx.by_property(str(r["p"]))]
    assert not missing, f"add context keys for: {missing}"
    for term in ctx.terms.values():
        same = [
            t
            for t in ctx.by_property(term.iri, term.reverse)
            if (t.coerce, t.language) == (term.coerce, term.language)
        ]
        assert len(same) == 1, f"two keys map {term.iri} the same way: {[t.name for t in same]}"
