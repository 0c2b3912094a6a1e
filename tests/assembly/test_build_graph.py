"""The built graph states what the sources state, with provenance on everything."""

from __future__ import annotations

import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from gcm_kg import iris
from gcm_kg.namespaces import GCM

SDG_10C = URIRef("http://metadata.un.org/sdg/10.c")


@pytest.fixture(scope="module")
def ds(built_union) -> Graph:  # type: ignore[no-untyped-def]
    """The union of all named graphs."""
    return built_union


def objects(ds: Graph, s: URIRef, p: URIRef) -> set:
    return set(ds.objects(s, p))


def test_77_paragraphs(ds: Graph) -> None:
    paragraphs = set(ds.subjects(RDF.type, GCM.DeclarationParagraph))
    assert len(paragraphs) == 77
    numbers = sorted(int(n) for n in ds.objects(None, GCM.paragraphNumber))
    assert numbers == list(range(1, 78))


def test_round_table_2_covers_its_objectives(ds: Graph) -> None:
    covered = {
        int(str(o).rsplit("/", 1)[1]) for o in objects(ds, iris.round_table(2), GCM.coversObjective)
    }
    assert covered == {4, 8, 9, 10, 11, 13, 21}


def test_every_objective_in_exactly_one_round_table(ds: Graph) -> None:
    for n in range(1, 24):
        assert len(objects(ds, iris.objective(n), GCM.coveredByRoundTable)) == 1, n


def test_objective_titles_are_official(ds: Graph) -> None:
    titles = {str(t) for t in ds.objects(iris.objective(4), GCM.text)} | {
        str(t) for t in ds.objects(iris.objective(4), URIRef("http://purl.org/dc/terms/title"))
    }
    assert (
        "Ensure that all migrants have proof of legal identity and adequate documentation" in titles
    )


def _links(ds: Graph, subject: URIRef, target: URIRef) -> list[URIRef]:
    return [
        link
        for link in ds.objects(subject, GCM.qualifiedLink)
        if (link, GCM.linkTarget, target) in ds
    ]


def test_paragraph_67_addresses_objective_20_with_its_basis(ds: Graph) -> None:
    p67 = iris.paragraph(67)
    assert (p67, GCM.addressesObjective, iris.objective(20)) in ds
    [link] = _links(ds, p67, iris.objective(20))
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "curated")) in ds
    assert list(ds.objects(link, GCM.rationale))


def test_paragraph_67_mentions_sdg_target_10c_with_evidence(ds: Graph) -> None:
    p67 = iris.paragraph(67)
    assert (p67, GCM.mentionsSDGTarget, SDG_10C) in ds
    [link] = _links(ds, p67, SDG_10C)
    evidence = str(next(ds.objects(link, GCM.evidence)))
    assert "less than 3 per cent by 2030" in evidence


def test_objective_20_relates_to_sdg_10c_as_the_gcm_states(ds: Graph) -> None:
    [link] = _links(ds, iris.objective(20), SDG_10C)
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "stated-by-source")) in ds


def test_round_table_paragraphs_are_discussed_under_it_not_linked_to_its_objectives(
    ds: Graph,
) -> None:
    """Section membership is gcm:discussedUnder; addressing an objective needs quoted words."""
    assert (iris.paragraph(41), GCM.discussedUnder, iris.round_table(3)) in ds
    for o in (14, 16, 19, 20, 22):  # objectives of round table 3 paragraph 41 does not address
        assert (iris.paragraph(41), GCM.addressesObjective, iris.objective(o)) not in ds
    assert ds.value(None, GCM.linkBasis, iris.vocab("link-basis", "section")) is None


def test_every_objective_link_of_a_paragraph_quotes_it(ds: Graph) -> None:
    for para, obj in ds.subject_objects(GCM.addressesObjective):
        [link] = _links(ds, para, obj)
        assert ds.value(link, GCM.evidence) is not None, (para, obj)


def test_round_table_paragraph_42_addresses_objective_20_with_a_quote(ds: Graph) -> None:
    [link] = _links(ds, iris.paragraph(42), iris.objective(20))
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "curated")) in ds
    assert "6.3 per cent" in str(ds.value(link, GCM.evidence))


def test_consular_cooperation_in_paragraph_64_addresses_objective_14(ds: Graph) -> None:
    [link] = _links(ds, iris.paragraph(64), iris.objective(14))
    assert str(ds.value(link, GCM.evidence)) == "as well as consular capacities and cooperation"


def test_recovery_of_earned_wages_in_paragraph_66_addresses_objective_22(ds: Graph) -> None:
    [link] = _links(ds, iris.paragraph(66), iris.objective(22))
    assert "recovery of earned wages" in str(ds.value(link, GCM.evidence))


def test_national_human_rights_institutions_do_not_invoke_the_human_rights_principle(
    ds: Graph,
) -> None:
    assert (iris.paragraph(21), GCM.invokesPrinciple, iris.principle("human-rights")) not in ds
    assert (iris.paragraph(5), GCM.invokesPrinciple, iris.principle("human-rights")) in ds


def test_explicit_title_mention_is_found(ds: Graph) -> None:
    [link] = _links(ds, iris.paragraph(64), iris.objective(4))
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "explicit-mention")) in ds


def test_paragraph_3_invokes_all_ten_principles(ds: Graph) -> None:
    assert len(objects(ds, iris.paragraph(3), GCM.invokesPrinciple)) == 10


def test_every_paragraph_has_provenance(ds: Graph) -> None:
    for p in ds.subjects(RDF.type, GCM.DeclarationParagraph):
        assert (p, PROV.wasDerivedFrom, None) in ds, p
        assert list(ds.objects(p, GCM.paragraphKind)), p


def test_every_named_graph_says_where_it_comes_from(built, ds: Graph) -> None:  # type: ignore[no-untyped-def]
    for ctx in built.dataset.graphs():
        if not len(ctx) or str(ctx.identifier).startswith("urn:x-rdflib"):
            continue
        doc = ds.value(ctx.identifier, PROV.wasDerivedFrom)
        assert doc is not None, ctx.identifier
        assert ds.value(doc, GCM.sourceFile) is not None, doc


def test_no_blank_nodes(built) -> None:  # type: ignore[no-untyped-def]
    assert not any(isinstance(n, BNode) for q in built.dataset.quads() for n in q[:3])


def test_193_member_states_with_iso_codes(ds: Graph) -> None:
    states = set(ds.subjects(RDF.type, GCM.MemberState))
    assert len(states) == 193
    assert (iris.state("MEX"), GCM.iso3166Alpha3, Literal("MEX")) in ds


def test_champion_countries_from_the_iom_page(ds: Graph) -> None:
    champions = set(ds.subjects(GCM.hasRole, iris.vocab("role", "champion-country")))
    assert champions == {iris.state(c) for c in ("CAN", "CRI", "SLV", "HND", "MEX", "PAN")}


@pytest.mark.parametrize(
    ("slug", "value", "paragraph"),
    [
        ("international-migrants-2020", "281000000", 9),
        ("international-migrants-women-share-2020", "48", 9),
        ("remittances-2021", "751000000000", 9),
        ("migrant-deaths-2019-2021", "8436", 14),
        ("missing-migrants-2019-2021", "5534", 14),
        ("remittance-cost-2021-q3", "6.3", 42),
        ("remittance-cost-target-2030", "3", 67),
    ],
)
def test_declaration_figures(ds: Graph, slug: str, value: str, paragraph: int) -> None:
    f = iris.figure(slug)
    assert ds.value(f, GCM.figureValue) == Literal(value, datatype=XSD.decimal)
    assert (f, PROV.wasDerivedFrom, iris.paragraph(paragraph)) in ds


def test_pledging_initiative_figures(ds: Graph) -> None:
    assert ds.value(iris.figure("pledges-received-2022"), GCM.figureValue) == Literal(
        "158", datatype=XSD.decimal
    )


def test_pledges_only_as_the_sources_state_them(ds: Graph) -> None:
    pledges = set(ds.subjects(RDF.type, GCM.Pledge))
    assert len(pledges) == 12  # 3 from the 2022 press releases, 9 from the pledge pages
    for p in pledges:
        assert ds.value(p, GCM.evidence) is not None


def test_sdg_targets_keep_the_un_iris(ds: Graph) -> None:
    sdgo_target = URIRef("http://metadata.un.org/sdg/ontology#Target")
    assert len(set(ds.subjects(RDF.type, sdgo_target))) == 169
    assert not any(str(s).startswith(iris.ID + "sdg") for s in ds.subjects())


def test_rebuild_is_byte_identical(settings, tmp_path, built) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from gcm_kg.assembly.pipeline import build

    again = build(replace(settings, graph_dir=tmp_path), load_store=False)
    assert again.nquads.read_bytes() == built.nquads.read_bytes()
    assert again.trig.read_bytes() == built.trig.read_bytes()


def test_shipped_graph_files_are_current(settings, built) -> None:  # type: ignore[no-untyped-def]
    shipped = settings.project_dir / "data" / "graph"
    assert (shipped / "gcm-kg.nq").read_bytes() == built.nquads.read_bytes(), "run: gcm-kg build"
    assert (shipped / "gcm-kg.trig").read_bytes() == built.trig.read_bytes(), "run: gcm-kg build"
