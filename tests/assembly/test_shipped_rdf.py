"""Every RDF file the project ships is read back by two independent parsers (rdflib and Oxigraph),
and the TriG download holds exactly the quads of the N-Quads one."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[2]
FORMATS = {
    ".trig": ("trig", ox.RdfFormat.TRIG),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
}
SHIPPED = sorted(
    p
    for folder in ("data/graph", "data/curated", "ontology", "shapes")
    for p in (ROOT / folder).iterdir()
    if p.suffix in FORMATS
)


def _rdflib_quads(path: Path) -> set[tuple[str, str, str, str]]:
    fmt = FORMATS[path.suffix][0]
    if fmt == "turtle":
        g = Graph()
        g.parse(path, format=fmt)
        return {(s.n3(), p.n3(), o.n3(), "") for s, p, o in g}
    ds = Dataset()
    ds.parse(path, format=fmt)
    return {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in ds.quads()}  # type: ignore[union-attr]


def _oxigraph_quads(path: Path) -> set[str]:
    return {str(q) for q in ox.parse(path=str(path), format=FORMATS[path.suffix][1])}


def test_the_shipped_files_include_the_graph_ontology_and_shapes() -> None:
    names = {p.name for p in SHIPPED}
    assert {"gcm-kg.trig", "gcm-kg.nq", "gcm.ttl", "gcm-shapes.ttl"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_rdflib_parses(path: Path) -> None:
    assert _rdflib_quads(path)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_oxigraph_parses(path: Path) -> None:
    assert _oxigraph_quads(path)


def test_trig_and_nquads_hold_the_same_quads_in_oxigraph() -> None:
    graph = ROOT / "data" / "graph"
    assert _oxigraph_quads(graph / "gcm-kg.trig") == _oxigraph_quads(graph / "gcm-kg.nq")


def test_trig_and_nquads_hold_the_same_quads_in_rdflib() -> None:
    graph = ROOT / "data" / "graph"
    assert _rdflib_quads(graph / "gcm-kg.trig") == _rdflib_quads(graph / "gcm-kg.nq")


def test_trig_declares_every_prefix_it_uses() -> None:
    """The bug this guards: prefixes used inside graph blocks but never declared."""
    text = (ROOT / "data" / "graph" / "gcm-kg.trig").read_text(encoding="utf-8")
    declared = {line.split()[1] for line in text.splitlines() if line.startswith("@prefix")}
    for prefix in ("foaf:", "vann:", "gcm:", "prov:"):
        assert prefix in declared, prefix
