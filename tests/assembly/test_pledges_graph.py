"""The pledging initiative's nine pledges and the Compact-level SDG link, with every qualifier
the source tables give, and Member States under the names the UN uses."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from gcm_kg import iris
from gcm_kg.namespaces import GCM

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT.parent / "shared" / "data" / "gcm" / "pledges.csv"


@pytest.fixture(scope="module")
def g() -> Graph:
    ds = Dataset()
    ds.parse(ROOT / "data" / "graph" / "gcm-kg.nq", format="nquads")
    union = Graph()
    for s, p, o, _ in ds.quads():
        union.add((s, p, o))
    return union


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_pledge_of_the_table_is_in_the_graph(g: Graph) -> None:
    rows = _rows()
    assert len(rows) == 9
    for row in rows:
        p = iris.pledge(row["id"])
        assert (p, RDF.type, GCM.Pledge) in g
        assert g.value(p, GCM.evidence) == Literal(row["evidence"])
        assert (p, GCM.sourceURL, Literal(row["source_url"], datatype=XSD.anyURI)) in g
        assert str(g.value(p, GCM.evidenceStrength)) == row["evidence_strength"]


def test_objectives_are_exactly_the_stated_ones(g: Graph) -> None:
    for row in _rows():
        p = iris.pledge(row["id"])
        stated = {iris.objective(int(n)) for n in row["objectives"].split(";") if n}
        assert set(g.objects(p, GCM.supportsObjective)) == stated
        assert g.value(p, GCM.objectivesStated) == Literal(bool(stated))


def test_every_pledge_says_whether_its_source_states_objectives(g: Graph) -> None:
    pledges = set(g.subjects(RDF.type, GCM.Pledge))
    assert len(pledges) == 12
    for p in pledges:
        stated = g.value(p, GCM.objectivesStated)
        assert stated is not None, p
        assert stated.toPython() == bool(list(g.objects(p, GCM.supportsObjective))), p


def test_an_incomplete_objective_list_says_so(g: Graph) -> None:
    p = iris.pledge("review-national-implementation-plan-gcm")
    assert g.value(p, GCM.objectivesComplete) == Literal(False)
    assert "cut off" in str(g.value(p, GCM.objectivesNote))
    assert g.value(iris.pledge("settlement-and-inclusion"), GCM.objectivesComplete) == Literal(True)


def test_a_pledge_that_states_no_objective_gets_none(g: Graph) -> None:
    p = iris.pledge("un-task-force-cdl-joint-pledge")
    assert list(g.objects(p, GCM.supportsObjective)) == []
    assert g.value(p, GCM.objectivesStated) == Literal(False)
    assert g.value(p, GCM.objectivesComplete) is None


def test_dates_say_what_they_are_the_date_of(g: Graph) -> None:
    p = iris.pledge("canada-build-capacity-gender-responsive")
    assert g.value(p, DCTERMS.date) == Literal("2022-05-19", datatype=XSD.date)
    assert str(g.value(p, GCM.dateMeaning)) == "announced at the IMRF (national press release)"
    assert g.value(iris.pledge("ilo-pledge-imrf-2022"), DCTERMS.date) is None


def test_form_categories_and_principles_are_kept(g: Graph) -> None:
    p = iris.pledge("settlement-and-inclusion")
    assert g.value(g.value(p, GCM.pledgeType), SKOS.prefLabel) == Literal("Individual", lang="en")
    assert g.value(g.value(p, GCM.pledgeNature), SKOS.prefLabel) == Literal("Financial", lang="en")
    assert g.value(g.value(p, GCM.pledgerKind), SKOS.prefLabel) == Literal(
        "Member State", lang="en"
    )
    assert (p, GCM.appliesPrinciple, iris.principle("gender-responsive")) in g
    assert (
        len(list(g.objects(iris.pledge("consolidate-rede-integrar-valoriza"), GCM.otherSourceURL)))
        == 2
    )


@pytest.mark.parametrize(
    ("pledge", "actor"),
    [
        ("review-national-implementation-plan-gcm", iris.state("PRT")),
        ("settlement-and-inclusion", iris.state("CAN")),
        ("achieve-legal-identity-all", iris.actor("iom")),
        ("ilo-pledge-imrf-2022", iris.actor("ilo")),
        ("un-system-pledge", iris.actor("un-system")),
        ("women-migration-network-imrf-pledge", iris.actor("women-in-migration-network")),
    ],
)
def test_pledgers_resolve_to_actors(g: Graph, pledge: str, actor: URIRef) -> None:
    p = iris.pledge(pledge)
    assert (p, GCM.pledgedBy, actor) in g
    assert (actor, RDF.type, None) in g
    assert g.value(p, GCM.pledgerName) is not None


def test_an_actor_only_a_pledge_page_names_is_attributed_to_that_page(g: Graph) -> None:
    a = iris.actor("un-task-force-on-children-deprived-of-liberty")
    derived = set(g.objects(a, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    [row] = [r for r in derived if (r, GCM.inTable, iris.document("curated-pledge-actors")) in g]
    assert str(g.value(row, GCM.sourceURL)) == "https://violenceagainstchildren.un.org/node/4793"
    # its quote is the pledge table's row for that pledge
    assert g.value(row, GCM.quotedFrom) == iris.table_row("gcm-pledges", 9)


def test_the_compact_is_consistent_with_sdg_target_10_7(g: Graph) -> None:
    compact = iris.compact()
    target = URIRef("http://metadata.un.org/sdg/10.7")
    assert (compact, GCM.consistentWithSDGTarget, target) in g
    [link] = [
        link
        for link in g.objects(compact, GCM.qualifiedLink)
        if (link, GCM.linkTarget, target) in g
    ]
    assert "consistent with target 10.7" in str(g.value(link, GCM.evidence))
    assert str(g.value(link, GCM.sourceURL)).startswith("https://middleeastandnorthafrica.iom.int")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("KOR", "Republic of Korea"),
        ("COD", "Democratic Republic of the Congo"),
        ("VNM", "Viet Nam"),
        ("LAO", "Lao People's Democratic Republic"),
        ("FSM", "Micronesia (Federated States of)"),
        ("TUR", "Türkiye"),
    ],
)
def test_member_states_carry_the_un_names(g: Graph, code: str, name: str) -> None:
    assert g.value(iris.state(code), SKOS.prefLabel) == Literal(name, lang="en")


def test_informal_and_outdated_names_are_gone(g: Graph) -> None:
    names = {
        str(o)
        for s in g.subjects(RDF.type, GCM.MemberState)
        for o in g.objects(s, None)
        if isinstance(o, Literal)
    }
    for informal in (
        "South Korea",
        "DR Congo",
        "Vietnam",
        "Laos",
        "Micronesia, Fed. Sts.",
        "Republic of Turkey",
        "Congo Republic",
    ):
        assert informal not in names
    assert Literal("Socialist Republic of Viet Nam", lang="en") in set(
        g.objects(iris.state("VNM"), SKOS.altLabel)
    )
