"""The designed pages say what their readers came for, before the "All statements" table.

Each test reads one section of a page (the text between its heading and the next heading of
the same level) and checks what it says against the graph.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from tests.linked.helpers import client_of

ID = "https://w3id.org/gcm-kg/id/"
GCM = "https://w3id.org/gcm-kg/ontology#"


def page_of(ld, path: str) -> str:  # type: ignore[no-untyped-def]
    resp = ld.get(path, headers={"Accept": "text/html"})
    assert resp.status_code == 200, path
    return resp.get_data(as_text=True)


def section(page: str, title: str) -> str:
    """The HTML of the designed section headed ``title`` (before All statements)."""
    designed = page.split('<section id="all-statements"', 1)[0]
    match = re.search(r"<h2>" + re.escape(title) + r"</h2>(.*?)</section>", designed, re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_objective_page_answers_its_readers_first(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/objective/20")
    assert page.index("<h2>Commitment</h2>") < page.index("<h2>All statements</h2>")
    assert "We commit to promote faster, safer and cheaper remittances" in text(
        section(page, "Commitment")
    )
    facts = text(page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0])
    assert "Round table Round table 3" in facts
    addressing = section(page, "Paragraphs and commitments that address it")
    assert "Basis: curated" in text(addressing)
    assert 'href="/id/declaration/imrf-2022/paragraph/67"' in addressing
    assert 'href="/id/declaration/imrf-2022/paragraph/67/commitment/1"' in addressing
    assert "reduce the average transaction cost of migrant remittances" in text(addressing)
    sdg = section(page, "SDG targets it serves")
    assert 'href="http://metadata.un.org/sdg/10.c"' in sdg and "SDG target 10.c" in text(sdg)
    assert "No pledge names it." in text(section(page, "Pledges that support it"))


def test_objective_page_groups_every_addressing_link_by_basis(ld, oxigraph_store) -> None:  # type: ignore[no-untyped-def]
    rows = oxigraph_store.query(
        f"""SELECT DISTINCT ?x WHERE {{ VALUES ?p {{ <{GCM}addressesObjective> <{GCM}concernsObjective> }}
        ?x ?p <{ID}objective/21> }}"""
    ).rows
    addressing = section(
        page_of(ld, "/id/objective/21"), "Paragraphs and commitments that address it"
    )
    linked = set(re.findall(r'href="(/id/[^"]+)"', addressing))
    assert linked == {"/" + str(r["x"])[len(ID) - 3 :] for r in rows}
    assert len(linked) >= 4


def test_objective_page_lists_pledges_and_pledgers(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/objective/21")
    pledges = section(page, "Pledges that support it")
    assert 'href="/id/pledge/settlement-and-inclusion"' in pledges
    assert "pledged by Canada" in text(pledges)
    pledgers = section(page, "Pledgers")
    assert 'href="/id/actor/can"' in pledgers and "1 pledge" in text(pledgers)


def test_request_page_says_who_asks_whom_by_when_and_what_fulfilled_it(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/declaration/imrf-2022/paragraph/77/commitment/1")
    lead = text(page.split('<p class="lead">', 1)[1].split("</p>", 1)[0])
    assert lead.startswith(
        "Member States of the United Nations ask President of the General Assembly"
    )
    assert "in the second half of 2024" in lead and "Fulfilled" in lead
    done = section(page, "What fulfilled it")
    assert 'href="/id/event/ga-informal-plenary-2024-12-05"' in done
    assert "On 5 December, the President of the General Assembly convened" in text(done)


def test_an_open_request_says_no_fulfilment_is_recorded(ld, oxigraph_store) -> None:  # type: ignore[no-untyped-def]
    rows = oxigraph_store.query(
        f"""SELECT ?r WHERE {{ ?r a <{GCM}Request> ; <{GCM}addressedTo> ?who
        FILTER NOT EXISTS {{ ?r <{GCM}fulfilledBy> ?x }} }} ORDER BY ?r LIMIT 1"""
    ).rows
    assert rows, "the graph has open requests"
    page = page_of(ld, "/" + str(rows[0]["r"])[len(ID) - 3 :])
    assert "No fulfilment recorded." in page
    assert "No source in the graph states what fulfilled it." in text(
        section(page, "What fulfilled it")
    )


def test_paragraph_page_shows_objectives_with_evidence_clauses_and_figures(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/declaration/imrf-2022/paragraph/67")
    objectives = section(page, "Objectives it addresses")
    assert 'href="/id/objective/20"' in objectives
    assert "reduce the average transaction cost of migrant remittances" in text(objectives)
    assert "Basis: curated" in text(section(page, "Kind, and the words that decide it"))
    assert 'href="/id/declaration/imrf-2022/paragraph/67/commitment/1"' in section(
        page, "Commitments and requests in it"
    )
    figures = section(page, "Figures it states")
    assert 'href="/id/figure/remittance-cost-baseline-2021-q3"' in figures


def test_principle_page_lists_the_paragraphs_that_invoke_it(ld, oxigraph_store) -> None:  # type: ignore[no-untyped-def]
    iri = f"{ID}principle/child-sensitive"
    rows = oxigraph_store.query(
        f"SELECT DISTINCT ?p WHERE {{ ?p <{GCM}invokesPrinciple> <{iri}> }}"
    ).rows
    invoking = section(page_of(ld, "/id/principle/child-sensitive"), "Paragraphs that invoke it")
    assert {m for m in re.findall(r'href="(/id/[^"]+)"', invoking)} == {
        "/" + str(r["p"])[len(ID) - 3 :] for r in rows
    }


def test_round_table_page_lists_objectives_and_its_section(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/round-table/3")
    covered = section(page, "Objectives it covered")
    assert len(re.findall(r'href="/id/objective/\d+"', covered)) == 6
    assert 'href="/id/objective/20"' in covered
    assert "/id/declaration/imrf-2022/section/" in section(
        page, "Section of the declaration reporting on it"
    )


def test_person_page_shows_offices_with_dates_and_statements(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/person/rose-kobusinge")
    offices = text(section(page, "Offices held, with dates"))
    assert "IOM Youth Changemaker" in offices and "(2024-12-05)" in offices
    statements = text(section(page, "Statements"))
    assert "voiced the need for greater collaboration among all stakeholders" in statements


def test_state_page_shows_roles_and_groups(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/actor/slv")
    assert "Champion country" in text(section(page, "Roles"))
    assert 'href="/id/actor/champion-countries"' in page.split('<section id="all-statements"')[0]


def test_pledge_page_shows_pledger_objectives_and_its_words(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/pledge/settlement-and-inclusion")
    assert (
        len(re.findall(r'href="/id/objective/\d+"', section(page, "Objectives it supports"))) == 4
    )
    assert "Canada will support activities" in text(section(page, "What the pledge says"))
    assert 'href="https://migrationnetwork.un.org/pledge/settlement-and-inclusion"' in page
    # the pledge table has no actions for it: the page says so rather than leaving it out
    assert "names an action of the Compact it implements" in text(
        section(page, "Actions it implements")
    )


def test_event_and_document_pages_show_what_they_fulfilled(ld) -> None:  # type: ignore[no-untyped-def]
    event = page_of(ld, "/id/event/ga-informal-plenary-2024-12-05")
    assert "/id/declaration/imrf-2022/paragraph/77/commitment/1" in section(
        event, "Requests it fulfilled"
    )
    assert "Rose Kobusinge" in text(section(event, "People and the offices they held there"))
    report = section(
        page_of(ld, "/id/document/sg-biennial-report-gcm-2024"), "Requests it fulfilled"
    )
    assert "/id/declaration/imrf-2022/paragraph/76/commitment/1" in report
    assert "/id/declaration/imrf-2022/paragraph/70/commitment/1" in report


def test_action_page_links_its_objective_and_commitment(ld) -> None:  # type: ignore[no-untyped-def]
    page = page_of(ld, "/id/objective/20/action/a")
    assert 'href="/id/objective/20"' in page.split("</dl>", 1)[0]
    assert 'href="/id/objective/20/commitment-text"' in section(page, "Commitment it realizes")


def test_action_page_says_who_repeats_or_implements_it_and_when_nobody_does(ld) -> None:  # type: ignore[no-untyped-def]
    quoted = page_of(ld, "/id/objective/13/action/h")
    repeating = text(section(quoted, "Paragraphs and pledges that repeat its wording"))
    assert "paragraph 57" in repeating
    assert "end the practice of child detention" in repeating
    unquoted = page_of(ld, "/id/objective/20/action/d")
    facts = text(unquoted.split("</dl>", 1)[0])
    assert "Wording final-draft wording (13 July 2018)" in facts
    assert "Compared with the adopted text source is the adopted text" in facts
    assert "Text complete no" in facts
    assert "No paragraph of the declaration and no pledge repeats its wording." in text(
        section(unquoted, "Paragraphs and pledges that repeat its wording")
    )
    assert "No pledge says it implements this action." in text(
        section(unquoted, "Pledges that implement it")
    )


def test_every_designed_page_keeps_all_statements(ld) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "/id/objective/1",
        "/id/declaration/imrf-2022/paragraph/1",
        "/id/round-table/1",
        "/id/principle/human-rights",
        "/id/actor/mex",
        "/id/pledge/settlement-and-inclusion",
        "/id/event/imrf-2022",
        "/id/document/a-res-73-195",
        "/id/objective/1/action/a",
    ):
        page = page_of(ld, path)
        assert page.count("<h2>All statements</h2>") == 1, path
        assert "<h3>Provenance</h3>" in page, path
        assert '<section class="answer' in page, path


# -- the trust model holds in the designed sections


@pytest.fixture
def curated(nquads: bytes) -> Iterator[Store]:
    """The built graph plus a curator's graph with a pledge (allowed) and a forged label on an
    official paragraph and a javascript: IRI (what the write path refuses, as an older store)."""
    store = open_store("oxigraph:")
    store.replace_all(nquads)
    g = "https://example.org/mallory"
    store.update(
        f"""INSERT DATA {{ GRAPH <{g}> {{
        <{ID}pledge/curated-x> a <{GCM}Pledge> ; <http://www.w3.org/2000/01/rdf-schema#label> "Curated pledge X"@en ;
            <{GCM}supportsObjective> <{ID}objective/20> ; <{GCM}pledgedBy> <javascript:alert(1)> ;
            <{GCM}sourceURL> "javascript:alert(2)"^^<http://www.w3.org/2001/XMLSchema#anyURI> .
        <{ID}declaration/imrf-2022/paragraph/67> <http://www.w3.org/2000/01/rdf-schema#label> "Hijacked"@en .
        <{ID}declaration/imrf-2022/paragraph/67/commitment/1> <{GCM}text> "Forged clause text" .
        }} }}"""
    )
    yield store
    store.close()


def test_curator_facts_show_as_such_and_never_rename_official_resources(
    linked_settings: Settings, curated: Store
) -> None:
    client = client_of(linked_settings, curated)
    page = page_of(client, "/id/objective/20")
    assert "Hijacked" not in page
    pledges = section(page, "Pledges that support it")
    assert 'href="/id/pledge/curated-x"' in pledges
    assert "curator graph https://example.org/mallory" in text(pledges)
    pledge = page_of(client, "/id/pledge/curated-x")
    assert not re.search(r'href="\s*javascript:', pledge, re.I)
    assert "javascript:alert(1)" in pledge and "javascript:alert(2)" in pledge  # as text
    clauses = section(
        page_of(client, "/id/declaration/imrf-2022/paragraph/67"), "Commitments and requests in it"
    )
    assert "Forged clause text" not in clauses and "We commit to redoubling" in clauses
