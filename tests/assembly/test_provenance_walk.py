"""The shipped graph's curated and pledge statements each have a locator (a table row or a
qualified link) whose evidence quote is in its source verbatim; curated tables are sources of
their own, attributed to the curation; nothing a source does not state is asserted."""

from __future__ import annotations

import pytest
from rdflib import RDF, Dataset, URIRef
from rdflib.namespace import PROV

from gcm_kg import iris
from gcm_kg.assembly.sources import SEED_DECLARATION, SEEDS
from gcm_kg.namespaces import GCM
from tests import provenance as pv

CURATION = iris.curator("gcm-kg curation")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return pv.load()


def _graph(ds: Dataset, slug: str):  # type: ignore[no-untyped-def]
    return ds.graph(iris.graph(slug))


def test_the_walk_covers_every_curated_and_pledge_table(ds: Dataset) -> None:
    names = {str(g.identifier).rsplit("/", 1)[1] for g in pv.table_graphs(ds)}
    assert names == {
        "curated-actor-facts",
        "curated-actors",
        "curated-declaration-commitments",
        "curated-documents",
        "curated-events",
        "curated-figures",
        "curated-offices",
        "curated-paragraph-kinds",
        "curated-paragraph-objective-links",
        "curated-paragraph-sdg-links",
        "curated-pledge-actors",
        "curated-people",
        "curated-pledges",
        "curated-statements",
        "curated-un-member-states",
        "gcm-compact-sdg-links",
        "gcm-pledges",
    }


def test_every_statement_has_a_locator(ds: Dataset) -> None:
    walked, unsupported = 0, []
    for g in pv.table_graphs(ds):
        for s, p, o in pv.statements(g):
            walked += 1
            if pv.support(g, s, p, o) is None:
                unsupported.append((g.identifier, s, p, o))
    assert walked > 4000
    assert unsupported == []


def test_every_evidence_quote_is_in_its_source_verbatim(ds: Dataset) -> None:
    locators = {
        pv.support(g, s, p, o).locator  # type: ignore[union-attr]
        for g in pv.table_graphs(ds)
        for s, p, o in pv.statements(g)
    }
    assert len(locators) > 300
    assert [str(x) for x in sorted(locators) if not pv.quote_found(ds, x)] == []


def test_a_quote_not_in_its_source_is_caught(ds: Dataset) -> None:
    """The walk can fail: a row whose quote was changed no longer matches its seed line."""
    row = iris.table_row("curated-actor-facts", 2)
    g = _graph(ds, "curated-actor-facts")
    copy = Dataset()
    for q in ds.quads():
        copy.add(q)  # type: ignore[arg-type]
    copied = copy.graph(g.identifier)
    copied.set((row, GCM.evidence, pv_literal("The 7 Champion Countries in the region")))
    assert pv.quote_found(ds, row)
    assert not pv.quote_found(copy, row)


def pv_literal(text: str):  # type: ignore[no-untyped-def]
    from rdflib import Literal

    return Literal(text)


def test_curated_tables_are_attributed_to_the_curation(ds: Dataset) -> None:
    prov = ds.graph(pv.PROVENANCE)
    curated = [g for g in pv.table_graphs(ds) if "/curated-" in str(g.identifier)]
    assert len(curated) == 15
    for g in curated:
        doc = prov.value(g.identifier, PROV.wasDerivedFrom)
        assert (g.identifier, PROV.wasAttributedTo, CURATION) in prov
        assert (doc, PROV.wasAttributedTo, CURATION) in prov
    assert (CURATION, RDF.type, PROV.Agent) in prov


def test_no_fact_is_credited_to_a_seed_it_does_not_come_from(ds: Dataset) -> None:
    """Seeds other than the declaration (parsed into its own graph) have no graph of facts."""
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    for seed in SEEDS:
        if seed != SEED_DECLARATION:
            assert str(iris.graph(seed.slug)) not in graphs, seed.slug


def test_resources_quoted_from_the_declaration_point_at_their_paragraph(ds: Dataset) -> None:
    """The finest locator: a paragraph, or the footnote (the African Union's organ is named in
    footnote 8), never the whole document."""
    whole = iris.document(SEED_DECLARATION.slug)
    pointing, at_paragraph = [], set()
    for g in pv.table_graphs(ds):
        for s, o in g.subject_objects(PROV.wasDerivedFrom):
            if o == whole:
                pointing.append(s)
            elif ("/paragraph/" in str(o) or "/footnote/" in str(o)) and (
                o,
                RDF.type,
                pv.TABLE_ROW,
            ) not in g:
                at_paragraph.add(s)
    assert pointing == []
    # the documents, actors and events the declaration names, and its figures
    for resource in (
        iris.document("a-res-73-326"),
        iris.actor("friends-of-migration"),
        iris.event("rabat-champions-ministerial-2022"),
        iris.figure("remittance-cost-target-2030"),
    ):
        assert resource in at_paragraph, resource


def test_role_evidence_reaches_the_graph(ds: Dataset) -> None:
    g = _graph(ds, "curated-actor-facts")
    rows = set(g.subjects(RDF.subject, iris.state("CAN"))) & set(
        g.subjects(RDF.object, iris.vocab("role", "champion-country"))
    )
    [row] = rows
    assert (row, RDF.predicate, GCM.hasRole) in g
    assert "Champion Countries" in str(g.value(row, GCM.evidence))
    assert g.value(row, GCM.sourceLine) is not None


def test_unsourced_locations_and_part_of_link_are_gone(ds: Dataset) -> None:
    events = _graph(ds, "curated-events")
    assert events.value(iris.event("imrf-2022-stakeholder-hearing"), GCM.location) is None
    assert events.value(iris.event("ga-endorsement-2022-06-07"), GCM.location) is None
    actors = _graph(ds, "curated-actors")
    cnac = iris.actor("un-regional-network-on-migration-cnac")
    assert actors.value(cnac, GCM.partOfSystem) is None
    assert (
        iris.actor("african-migration-observatory"),
        GCM.partOfSystem,
        URIRef(iris.actor("african-union")),
    ) in actors
