"""Commitment and request clauses: verbatim, addressed, timed, targeted and followed up."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from gcm_kg import iris
from gcm_kg.assembly.pipeline import assemble
from gcm_kg.assembly.sources import check_evidence
from gcm_kg.config import Settings
from gcm_kg.errors import SourceError
from gcm_kg.namespaces import GCM
from gcm_kg.sparql import named
from gcm_kg.store import Store

PGA = iris.office("president-of-the-general-assembly")
SG = iris.office("secretary-general")
PLENARY = iris.event("ga-informal-plenary-2024-12-05")
SG_REPORT = iris.document("sg-biennial-report-gcm-2024")


@pytest.fixture(scope="module")
def ds(built_union) -> Graph:  # type: ignore[no-untyped-def]
    return built_union


def _link(ds: Graph, subject: URIRef, target: URIRef) -> URIRef:
    [link] = [
        link
        for link in ds.objects(subject, GCM.qualifiedLink)
        if (link, GCM.linkTarget, target) in ds
    ]
    return link


def _clauses(ds: Graph) -> set[URIRef]:
    return set(ds.subjects(GCM.inParagraph, None))  # type: ignore[arg-type]


def test_every_clause_is_verbatim_in_its_paragraph(ds: Graph) -> None:
    clauses = _clauses(ds)
    assert len(clauses) == 41
    for c in clauses:
        para = ds.value(c, GCM.inParagraph)
        assert check_evidence(str(ds.value(c, GCM.text)), str(ds.value(para, GCM.text))), c
        assert str(c).startswith(str(para) + "/commitment/")


def test_every_clause_is_committed_by_the_member_states(ds: Graph) -> None:
    for c in _clauses(ds):
        assert ds.value(c, GCM.committedBy) == iris.actor("member-states"), c


def test_what_the_pga_was_asked_by_when_and_what_fulfilled_it(ds: Graph) -> None:
    [request] = list(ds.subjects(GCM.addressedTo, PGA))
    assert request == iris.commitment(77, 1)
    assert "to hold a plenary meeting of the General Assembly" in str(ds.value(request, GCM.text))
    assert str(ds.value(request, GCM.timeFrame)) == "in the second half of 2024"
    assert ds.value(request, GCM.dueBy) == Literal("2024-12-31", datatype=XSD.date)
    assert ds.value(request, GCM.fulfilledBy) == PLENARY
    link = _link(ds, request, PLENARY)
    assert ds.value(link, GCM.sourceLine) == Literal(9)
    assert "the President of the General Assembly convened" in str(ds.value(link, GCM.evidence))
    assert ds.value(PLENARY, GCM.startDate) == Literal("2024-12-05", datatype=XSD.date)


@pytest.mark.parametrize("paragraph", [70, 76])
def test_requests_to_the_secretary_general_were_fulfilled_by_his_2024_report(
    ds: Graph, paragraph: int
) -> None:
    request = iris.commitment(paragraph, 1)
    assert (request, GCM.addressedTo, SG) in ds
    assert str(ds.value(request, GCM.timeFrame)) == "in his next biennial report"
    assert ds.value(request, GCM.dueBy) is None  # "next report" fixes no date
    link = _link(ds, request, SG_REPORT)
    assert ds.value(link, GCM.sourceLine) == Literal(11)


def test_the_remittance_commitment_sets_its_target_against_the_figures(ds: Graph) -> None:
    c = iris.commitment(67, 1)
    assert ds.value(c, GCM.targetFigure) == iris.figure("remittance-cost-target-2030")
    assert ds.value(c, GCM.baselineFigure) == iris.figure("remittance-cost-baseline-2021-q3")
    assert ds.value(c, GCM.dueBy) == Literal("2030", datatype=XSD.gYear)
    assert str(ds.value(c, GCM.timeFrame)) == "by 2030"


def test_a_clause_addresses_an_objective_only_with_words_of_the_clause(ds: Graph) -> None:
    for c in _clauses(ds):
        for objective in ds.objects(c, GCM.concernsObjective):
            quote = str(ds.value(_link(ds, c, objective), GCM.evidence))
            assert check_evidence(quote, str(ds.value(c, GCM.text))), (c, objective)


def test_consular_cooperation_is_a_commitment_on_objective_14(ds: Graph) -> None:
    assert list(ds.subjects(GCM.concernsObjective, iris.objective(14))) != []
    assert (iris.commitment(64, 1), GCM.concernsObjective, iris.objective(14)) in ds


def test_only_the_request_naming_no_addressee_has_none(ds: Graph) -> None:
    requests = set(ds.subjects(RDF.type, GCM.Request))
    assert len(requests) == 11
    without = {r for r in requests if ds.value(r, GCM.addressedTo) is None}
    assert without == {iris.commitment(73, 1)}


def test_named_query_answers_the_pga_question(store: Store, settings: Settings) -> None:
    q = named.get(settings.queries_dir, "cq08-requests-to-addressee")
    rows = store.query(q.sparql, bindings=q.bindings({"addressee": str(PGA)})).rows
    assert [(str(r["number"]), str(r["status"]), str(r["fulfilledOn"])) for r in rows] == [
        ("77.1", "fulfilled", "2024-12-05")
    ]


def test_named_query_lists_open_and_fulfilled_requests(store: Store, settings: Settings) -> None:
    q = named.get(settings.queries_dir, "cq08-requests-and-fulfilment")
    rows = store.query(q.sparql).rows
    fulfilled = {str(r["number"]) for r in rows if str(r["status"]) == "fulfilled"}
    assert fulfilled == {"70.1", "76.1", "77.1"}
    assert {str(r["number"]) for r in rows} >= {"68.1", "72.1", "73.2", "75.2"}


def test_objective_19_alone_has_no_substantive_commitment(store: Store, settings: Settings) -> None:
    q = named.get(settings.queries_dir, "cq06-commitments-per-objective")
    rows = store.query(q.sparql).rows
    assert [int(str(r["number"])) for r in rows if int(str(r["commitments"])) == 0] == [19]


@pytest.fixture()
def workspace(settings: Settings, tmp_path: Path) -> Settings:
    project = tmp_path / "project"
    for folder in ("ontology", "data/curated", "queries"):
        shutil.copytree(settings.project_dir / folder, project / folder)
    return replace(settings, project_dir=project, graph_dir=tmp_path / "graph")


def _edit(ws: Settings, old: str, new: str) -> None:
    path = ws.curated_dir / "declaration_commitments.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_clause_not_in_its_paragraph_stops_the_build(workspace: Settings) -> None:
    _edit(workspace, "We invite relevant subregional", "We invite relevant global")
    with pytest.raises(SourceError, match=r"declaration_commitments\.csv:\d+: the clause is not"):
        assemble(workspace)


def test_a_due_date_the_time_frame_does_not_state_stops_the_build(workspace: Settings) -> None:
    _edit(
        workspace, "in the second half of 2024,2024-12-31", "in the second half of 2024,2025-06-30"
    )
    with pytest.raises(SourceError, match=r"due_by '2025-06-30' is not a year or date"):
        assemble(workspace)
