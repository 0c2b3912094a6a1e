"""`gcm-kg check`: the OWL 2 DL consistency check with HermiT (needs Java).

Each deliberately broken fixture under tests/data/owl-*.ttl is checked together with the
ontology and the reused vocabularies' axioms. One HermiT run takes about 0.7-1.5 s (mostly
starting Java); naming the culprits of an inconsistency takes two more runs, so those tests
(2-6 s each, measured on 2 cores) and the whole-graph check are marked slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from gcm_kg import cli
from gcm_kg.config import Settings
from gcm_kg.reasoning.owl_input import prepare
from tests.helpers import FIXTURES

EX = "https://example.org/fixture/"


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["check", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def check_fixture(capsys: pytest.CaptureFixture[str], name: str) -> tuple[int, str]:
    return run_check(capsys, "--data", str(FIXTURES / name))


@pytest.mark.slow
def test_shipped_graph_is_consistent(capsys, built) -> None:  # type: ignore[no-untyped-def]
    code, out = run_check(capsys, "--data", str(built.nquads))
    assert code == 0, out
    assert out.startswith("gcm-kg check: consistent (")


def test_small_consistent_fixture_passes(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-consistent.ttl")
    assert code == 0, out
    assert "xsd:date → xsd:dateTime (literal)" in out


def test_inconsistent_fixture_fails_the_check(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run_check(
        capsys, "--no-explain", "--data", str(FIXTURES / "owl-inconsistent-disjoint.ttl")
    )
    assert code == 1
    assert out.startswith("gcm-kg check: NOT consistent")


@pytest.mark.slow
def test_disjoint_types_fail_and_name_the_individual(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-inconsistent-disjoint.ttl")
    assert code == 1
    assert "NOT consistent" in out
    assert f"individual <{EX}atlantis>" in out
    assert f"<{EX}atlantis> rdf:type gcm:UNEntity" in out
    assert f"<{EX}mex>" not in out  # the innocent Member State is not blamed


@pytest.mark.slow
def test_range_violation_names_link_and_neighbour_type(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-inconsistent-range.ttl")
    assert code == 1
    assert f"individual <{EX}pledge-a>" in out
    assert f"<{EX}pledge-a> gcm:pledgedBy <{EX}pledge-b>" in out
    assert f"<{EX}pledge-b> rdf:type gcm:Pledge" in out


@pytest.mark.slow
def test_wrong_datatype_is_inconsistent(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-inconsistent-datatype.ttl")
    assert code == 1
    assert f'<{EX}paragraph-7> gcm:paragraphNumber "seven"' in out


@pytest.mark.slow
def test_two_values_of_a_functional_property(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-inconsistent-functional.ttl")
    assert code == 1
    assert 'gcm:objectiveNumber "20"^^xsd:integer' in out
    assert 'gcm:objectiveNumber "21"^^xsd:integer' in out


@pytest.mark.slow
def test_reused_prov_axioms_are_reasoned_with(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-inconsistent-prov.ttl")
    assert code == 1
    assert f"<{EX}meeting> prov:wasDerivedFrom <{EX}minutes>" in out


def test_unsatisfiable_class_fails_the_check(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-unsatisfiable-class.ttl")
    assert code == 1
    assert "Unsatisfiable classes" in out
    assert f"<{EX}StateAgency>" in out


def test_ill_typed_date_fails_the_check(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = check_fixture(capsys, "owl-ill-typed-date.ttl")
    assert code == 1
    assert f'<{EX}forum> gcm:startDate "2022-13-01"^^xsd:date' in out


def test_missing_data_file_is_an_error(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out = run_check(capsys, "--data", str(tmp_path / "absent.ttl"))
    assert code == 2
    assert "absent.ttl: no such file" in out


def test_no_java_is_a_clear_error(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    code, out = check_fixture(capsys, "owl-consistent.ttl")
    assert code == 2
    assert "Java not found" in out and "default-jre-headless" in out


# ---------------------------------------------------------------- input for HermiT (no Java)


def test_dates_and_years_are_mapped_one_to_one() -> None:
    g = Graph()
    s, p = URIRef(EX + "e"), URIRef(EX + "p")
    g.add((s, p, Literal("2022-05-17", datatype=XSD.date)))
    g.add((s, p, Literal("2020", datatype=XSD.gYear)))
    out = prepare(g).graph
    assert (s, p, Literal("2022-05-17T00:00:00", datatype=XSD.dateTime)) in out
    assert (s, p, Literal("2020", datatype=XSD.integer)) in out


def test_langstring_range_becomes_plain_literal() -> None:
    g = Graph()
    p = URIRef(EX + "text")
    g.add((p, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), RDF.langString))
    assert (p, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), RDF.PlainLiteral) in (
        prepare(g).graph
    )


def test_shipped_graph_declares_every_predicate(built) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.reasoning.consistency import gather

    graph = gather(Settings.from_env(), [Path(built.nquads)])
    prepared = prepare(graph)
    assert prepared.undeclared == []
    assert prepared.ill_typed == []


@pytest.mark.slow
def test_check_reads_a_store(capsys, nquads: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.store import open_store

    spec = f"oxigraph:{tmp_path / 'store'}"
    with open_store(spec) as store:
        store.replace_all(nquads)
    code, out = run_check(capsys, "--store", spec)
    assert code == 0, out
    assert out.startswith("gcm-kg check: consistent (")
