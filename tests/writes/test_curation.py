"""Curator submissions: stored whole in a graph of their own with PROV, or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from gcm_kg import iris
from gcm_kg.errors import NotFound
from gcm_kg.store import Store, open_store
from gcm_kg.writes import audit, submissions
from gcm_kg.writes.auth import Forbidden
from gcm_kg.writes.commit import Rejected
from gcm_kg.writes.records import SUBMISSIONS_GRAPH
from tests.helpers import turtle_triples

PLEDGE = """
@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/gcm-kg/id/pledge/test-a> a gcm:Pledge ;
    dcterms:title "Test pledge"@en ;
    gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/mex> .
"""


@dataclass
class FixedReport:
    """A validation outcome decided by the test (the shapes themselves are tested elsewhere)."""

    conforms: bool
    warning_texts: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return self.warning_texts

    def to_json(self) -> dict[str, object]:
        return {"conforms": self.conforms, "warnings": self.warning_texts}


@pytest.fixture()
def fresh(nquads: bytes, tmp_path: Path) -> Store:
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    store.replace_all(nquads)
    return store


def data() -> list[ox.Triple]:
    return turtle_triples(PLEDGE)


def test_accepted_submission_lands_in_its_own_graph(fresh: Store, tmp_path: Path) -> None:
    sub = submissions.submit(
        fresh,
        data(),
        curator="ana",
        validator=lambda g, s: FixedReport(True),
        audit_log=tmp_path / "audit.log",
        source="https://example.org/p",
    )
    assert sub.graph in fresh.named_graphs()
    rows = fresh.query(f"SELECT ?s WHERE {{ GRAPH <{sub.graph}> {{ ?s a ?c }} }}").rows
    assert [r["s"] for r in rows] == [iris.pledge("test-a")]


def test_submission_record_says_who_when_and_from_what(fresh: Store, tmp_path: Path) -> None:
    sub = submissions.submit(
        fresh,
        data(),
        curator="ana",
        validator=lambda g, s: FixedReport(True, ["no SDG target"]),
        audit_log=tmp_path / "audit.log",
        source="https://example.org/p",
        comment="first",
    )
    q = f"""PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
    SELECT ?who ?at ?src ?w WHERE {{ GRAPH <{SUBMISSIONS_GRAPH}> {{
      <{sub.graph}> gcm:submittedBy ?who ; gcm:submittedAt ?at ; gcm:submissionSource ?src ; gcm:warning ?w }} }}"""
    [row] = fresh.query(q).rows
    assert row["who"] == iris.curator("ana")
    assert str(row["src"]) == "https://example.org/p"
    assert str(row["w"]) == "no SDG target"


def test_rejected_submission_changes_nothing(fresh: Store, tmp_path: Path) -> None:
    before = fresh.count()
    with pytest.raises(Rejected) as err:
        submissions.submit(
            fresh,
            data(),
            curator="ana",
            validator=lambda g, s: FixedReport(False),
            audit_log=tmp_path / "audit.log",
        )
    assert err.value.status == 422
    assert fresh.count() == before


def test_dry_run_stores_nothing(fresh: Store, tmp_path: Path) -> None:
    before = fresh.count()
    submissions.submit(
        fresh,
        data(),
        curator="ana",
        validator=lambda g, s: FixedReport(True),
        audit_log=tmp_path / "audit.log",
        dry_run=True,
    )
    assert fresh.count() == before


def test_every_attempt_is_audited(fresh: Store, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    submissions.submit(
        fresh, data(), curator="ana", validator=lambda g, s: FixedReport(True), audit_log=log
    )
    with pytest.raises(Rejected):
        submissions.submit(
            fresh, data(), curator="bo", validator=lambda g, s: FixedReport(False), audit_log=log
        )
    outcomes = [(e["curator"], e["outcome"]) for e in audit.read(log)]
    assert outcomes == [("ana", "accepted"), ("bo", "rejected")]


def test_retraction_removes_the_graph_and_is_recorded(fresh: Store, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    sub = submissions.submit(
        fresh, data(), curator="ana", validator=lambda g, s: FixedReport(True), audit_log=log
    )
    submissions.retract(fresh, sub.ident, curator="ana", audit_log=log, reason="duplicate")
    assert sub.graph not in fresh.named_graphs()
    q = f"ASK {{ GRAPH <{SUBMISSIONS_GRAPH}> {{ <{sub.graph}> <https://w3id.org/gcm-kg/ontology#retractedAt> ?t }} }}"
    assert fresh.query(q).boolean
    with pytest.raises(NotFound):
        submissions.retract(fresh, sub.ident, curator="ana", audit_log=log)


def test_another_curator_cannot_retract_a_submission(fresh: Store, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    sub = submissions.submit(
        fresh, data(), curator="ana", validator=lambda g, s: FixedReport(True), audit_log=log
    )
    with pytest.raises(Forbidden, match="only its submitter"):
        submissions.retract(fresh, sub.ident, curator="bo", audit_log=log)
    assert sub.graph in fresh.named_graphs()
    assert audit.read(log)[-1]["reason"] == "not the submitter"


def test_an_admin_may_retract_another_curators_submission(fresh: Store, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    sub = submissions.submit(
        fresh, data(), curator="ana", validator=lambda g, s: FixedReport(True), audit_log=log
    )
    submissions.retract(fresh, sub.ident, curator="bo", audit_log=log, admin=True)
    assert sub.graph not in fresh.named_graphs()


def test_unknown_submission_cannot_be_retracted(fresh: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        submissions.retract(
            fresh, "20260101t000000z-00000000", curator="bo", audit_log=tmp_path / "a.log"
        )


def test_submission_iri_contract() -> None:
    assert iris.submission("20261123t120000z-0a1b2c3d") == URIRef(
        "https://w3id.org/gcm-kg/id/submission/20261123t120000z-0a1b2c3d"
    )
