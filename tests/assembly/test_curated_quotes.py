"""Audit of the commitment, kind, link and people tables as they reach the graph.

Every resource or qualified link these tables make carries gcm:evidence and prov:wasDerivedFrom:
the quote must stand, verbatim (markup removed, quotes straightened, case and spacing
folded), in what it is derived from: the declaration paragraph, the paragraph link it repeats,
or the seed document on the line gcm:sourceLine names. Nothing is credited to a seed that does
not say it.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from gcm_kg import iris
from gcm_kg.assembly.sources import (
    DECLARATION_COMMITMENTS,
    OFFICES,
    PARAGRAPH_KINDS,
    PARAGRAPH_OBJECTIVE_LINKS,
    PEOPLE,
    SEEDS,
    STATEMENTS,
    normalise,
)
from gcm_kg.config import Settings
from gcm_kg.namespaces import GCM

TABLES = (
    PARAGRAPH_KINDS,
    PARAGRAPH_OBJECTIVE_LINKS,
    DECLARATION_COMMITMENTS,
    OFFICES,
    PEOPLE,
    STATEMENTS,
)


@pytest.fixture(scope="module")
def union(built_union) -> Graph:  # type: ignore[no-untyped-def]
    return built_union


@pytest.fixture(scope="module")
def seed_lines(settings: Settings) -> dict[URIRef, list[str]]:
    return {
        iris.document(src.slug): (settings.shared_dir / src.relpath)
        .read_text(encoding="utf-8")
        .splitlines()
        for src in SEEDS
    }


def _origin_text(union: Graph, origin: URIRef, line: object, seeds: dict[URIRef, list[str]]) -> str:
    if origin in seeds:
        assert line is not None, f"a quote of {origin} needs its line"
        return seeds[origin][int(str(line)) - 1]
    if (origin, GCM.paragraphNumber, None) in union:
        return str(union.value(origin, GCM.text))
    # a clause's link repeats a paragraph link: its words stand in that link's paragraph
    paragraph = union.value(origin, PROV.wasDerivedFrom)
    assert paragraph is not None and (paragraph, GCM.paragraphNumber, None) in union, origin
    return str(union.value(paragraph, GCM.text))


@pytest.mark.parametrize("table", TABLES, ids=[t.slug for t in TABLES])
def test_every_quote_stands_in_what_it_is_derived_from(
    built, union: Graph, seed_lines: dict[URIRef, list[str]], table
) -> None:  # type: ignore[no-untyped-def]
    graph = built.dataset.graph(iris.graph(table.slug))
    checked = 0
    for subject, evidence in graph.subject_objects(GCM.evidence):
        derived = set(graph.objects(subject, PROV.wasDerivedFrom))
        rows = [o for o in derived if (o, RDF.type, GCM.TableRow) in graph]
        if rows:  # a resource comes from the rows that quote it, each with its place and line
            places = [
                (graph.value(r, GCM.quotedFrom), graph.value(r, GCM.sourceLine))
                for r in rows
                if graph.value(r, GCM.evidence) == evidence
            ]
            assert places and all(origin in derived for origin, _ in places), subject
        else:
            [origin] = derived
            places = [(origin, graph.value(subject, GCM.sourceLine))]
        for origin, line in places:
            text = _origin_text(union, origin, line, seed_lines)
            assert normalise(str(evidence)) in normalise(text), (subject, str(evidence)[:60])
        checked += 1
    assert checked > 0
