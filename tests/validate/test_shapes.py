"""The shapes: the shipped graph conforms, and each constraint is broken by exactly one fixture.

Each file in tests/data/shapes/ breaks one constraint (its name) and says in its header which
context it is validated in and the exact message a curator must see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from gcm_kg.store import Store
from gcm_kg.validate import (
    Report,
    load_dataset,
    load_shapes,
    read_files,
    validate,
    validate_dataset,
)

SHAPES_DIR = Path(__file__).parents[1] / "data" / "shapes"
FIXTURES = sorted(SHAPES_DIR.glob("*.ttl"))
VALID = sorted((SHAPES_DIR / "valid").glob("*.ttl"))
GSH = "https://w3id.org/gcm-kg/shapes#"


def _header(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()[:3]
    return dict(line[2:].split(": ", 1) for line in lines)


def _constraint_of(report: Report, result) -> str:  # type: ignore[no-untyped-def]
    """The name of the constraint behind a result: the SPARQL constraint, else the shape."""
    node = report.graph.value(result.node, SH.sourceConstraint)
    source = node if node is not None else result.shape
    return str(source).removeprefix(GSH)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def contexts(oxigraph_store: Store, nquads: bytes) -> dict[str, Store]:
    """``shipped``: the built graph; ``ontology``: only its ontology graph."""
    from gcm_kg.store import open_store

    ontology = b"".join(
        line + b"\n"
        for line in nquads.splitlines()
        if line.endswith(b"<https://w3id.org/gcm-kg/id/graph/ontology> .")
    )
    small = open_store("oxigraph:")
    small.replace_all(ontology)
    return {"shipped": oxigraph_store, "ontology": small}


@pytest.fixture(scope="module")
def shipped_report(built, shapes: Graph) -> Report:  # type: ignore[no-untyped-def]
    return validate_dataset(load_dataset(Path(built.nquads)), shapes)


def test_shipped_graph_conforms(shipped_report: Report) -> None:
    assert shipped_report.conforms, shipped_report.text()
    assert not shipped_report.violations


def test_shipped_graph_warnings_are_only_advice(shipped_report: Report) -> None:
    assert all(r.message.startswith("Advice:") for r in shipped_report.warnings)


def test_every_shape_and_constraint_has_a_curator_message(shapes: Graph) -> None:
    holders = set(shapes.subjects(SH.sparql, None)) | set(shapes.subjects(SH.property, None))
    constraints = set(shapes.objects(None, SH.sparql)) | set(shapes.objects(None, SH.property))
    constraints |= {
        s for s in shapes.subjects(SH.pattern, None) if (s, SH.path, None) not in shapes
    }
    for node in constraints:
        messages = list(shapes.objects(node, SH.message))
        assert messages, f"{node} has no sh:message"
        assert all(isinstance(m, Literal) and m.language == "en" for m in messages), node
    assert holders  # the shapes are not empty


def test_every_constraint_has_a_negative_fixture(shapes: Graph) -> None:
    constraints = {str(s).removeprefix(GSH) for s in shapes.subjects(SH.message, None)}
    fixtures = {p.stem for p in FIXTURES}
    assert constraints - fixtures == set(), "constraints without a fixture"
    assert fixtures - constraints == set(), "fixtures for no constraint"


@pytest.fixture(scope="module")
def reports(contexts: dict[str, Store], shapes: Graph) -> dict[Path, Report]:
    """Each fixture validated once in its context (two tests read each report)."""
    return {p: validate(read_files([p]), contexts[_header(p)["context"]], shapes) for p in FIXTURES}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_breaks_exactly_its_constraint(path: Path, reports: dict[Path, Report]) -> None:
    head = _header(path)
    report = reports[path]
    assert report.results, f"{path.name} broke nothing"
    assert {_constraint_of(report, r) for r in report.results} == {head["breaks"]}
    assert head["expect"] in {r.message for r in report.results}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_severity_follows_the_rule(path: Path, reports: dict[Path, Report]) -> None:
    """Advice is a warning (the submission still conforms); every other rule is a violation."""
    head = _header(path)
    report = reports[path]
    advice = head["expect"].startswith("Advice:")
    assert report.conforms is advice
    assert {r.severity for r in report.results} == ({"Warning"} if advice else {"Violation"})


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_example_has_no_result(path: Path, contexts: dict[str, Store], shapes: Graph) -> None:
    report = validate(read_files([path]), contexts["shipped"], shapes)
    assert report.conforms and not report.results, report.text()


def test_shapes_nest_no_shapes(shapes: Graph) -> None:
    """Targeted validation limits pyshacl to the affected nodes, a limit pyshacl also applies to
    nested shapes: the shapes must not validate value nodes against other shapes."""
    nesting = (SH.node, SH["or"], SH["and"], SH.xone, SH["not"], SH.qualifiedValueShape)
    assert [p for p in nesting if (None, p, None) in shapes] == []


def test_every_constraint_is_documented_for_curators(shapes: Graph) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "shapes.md").read_text(encoding="utf-8")
    names = {str(s).removeprefix(GSH) for s in shapes.subjects(SH.message, None)}
    assert {n for n in names if f"| `{n}` |" not in doc} == set()
