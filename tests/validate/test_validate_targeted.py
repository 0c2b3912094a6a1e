"""Targeted validation reports exactly what pyshacl reports on the whole union.

The context here is a small, self-contained slice of the built graph (so that pyshacl on the
whole union stays quick): the ontology graph plus the full description of a few objectives,
actors, paragraphs, links and everything they point at. That slice conforms with no result, so
every result of the union is caused by the submission and the two reports must be identical.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from gcm_kg.store import Store, open_store
from gcm_kg.validate import Submission, load_shapes, validate, validate_dataset
from gcm_kg.validate.parse import parse_bytes, rdf_format

ID = "https://w3id.org/gcm-kg/id/"
SEEDS = [
    *(f"{ID}objective/{n}" for n in range(1, 24)),
    *(f"{ID}round-table/{n}" for n in range(1, 5)),
    *(f"{ID}actor/{a}" for a in ("mex", "fra", "iom")),
    f"{ID}event/imrf-2022",
    f"{ID}document/imrf-2022-closing-press-release",
    *(f"{ID}declaration/imrf-2022/paragraph/{n}" for n in (5, 6, 10, 67)),
]

PREFIXES = """@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix id: <https://w3id.org/gcm-kg/id/> .
@prefix p: <https://w3id.org/gcm-kg/id/declaration/imrf-2022/paragraph/> .
@prefix actor: <https://w3id.org/gcm-kg/id/actor/> .
@prefix objective: <https://w3id.org/gcm-kg/id/objective/> .
"""
PLEDGE = """<https://w3id.org/gcm-kg/id/pledge/p{n}> a gcm:Pledge ;
    rdfs:label "Pledge {n}"@en ;
    gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/mex> ;
    gcm:supportsObjective <https://w3id.org/gcm-kg/id/objective/5> ;
    gcm:relatedSDGTarget <http://metadata.un.org/sdg/10.7> ;
    gcm:madeAt <https://w3id.org/gcm-kg/id/event/imrf-2022> ;
    prov:wasDerivedFrom <https://w3id.org/gcm-kg/id/document/imrf-2022-closing-press-release> .
"""
CASES = {
    "valid pledges": PLEDGE.format(n=1) + PLEDGE.format(n=2),
    "broken pledge": PLEDGE.format(n=3)
    + """<https://w3id.org/gcm-kg/id/pledge/p3> gcm:pledgedBY actor:mex ;
        gcm:pledgedBy actor:zzz , objective:2 ; gcm:supportsObjective actor:fra .""",
    "blank-node pledge with a misspelt class": """[] a gcm:Pledg ; rdfs:label "No IRI"@en ;
        gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/mex> .
        [] a gcm:Pledge ; gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/iom> .""",
    "duplicate paragraph number": """<https://w3id.org/gcm-kg/id/declaration/x/paragraph/5>
        a gcm:DeclarationParagraph ; gcm:paragraphNumber 5 ; gcm:text "Again."@en ;
        gcm:inDeclaration <https://w3id.org/gcm-kg/id/declaration/imrf-2022> .""",
    "round table covering a second objective": """<https://w3id.org/gcm-kg/id/round-table/3>
        gcm:coversObjective <https://w3id.org/gcm-kg/id/objective/5> .""",
    "paragraph pointing at another paragraph's link": """p:6 gcm:qualifiedLink
        <https://w3id.org/gcm-kg/id/declaration/imrf-2022/paragraph/10/link/objective-6> .""",
    "existing objective given a second title": """<https://w3id.org/gcm-kg/id/objective/5>
        skos:prefLabel "Another title"@en ; gcm:coveredByRoundTable objective:6 .""",
    "link without a direct link": """p:67 gcm:qualifiedLink p:67\\/link\\/x .
        p:67\\/link\\/x a gcm:Link ;
        gcm:linkProperty gcm:invokesPrinciple ; gcm:linkTarget id:principle\\/nope ;
        gcm:linkBasis <https://w3id.org/gcm-kg/id/vocab/link-basis/explicit-mention> .""",
}


def _closure(store: Store) -> list[ox.Quad]:
    """The seeds and every gcm-kg node they reach, fully described; other values' types only."""
    quads: list[ox.Quad] = []
    seen: set[str] = set()
    todo = list(SEEDS)
    while todo:
        iri = todo.pop()
        if iri in seen:
            continue
        seen.add(iri)
        rows = store.query(f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}").rows
        for row in rows:
            o = row["o"]
            quads.append(_quad(iri, str(row["p"]), o, str(row["g"])))
            if isinstance(o, type(row["p"])) and str(o).startswith(ID):
                todo.append(str(o))
            elif isinstance(o, type(row["p"])):
                for t in store.query(f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ <{o}> a ?t }} }}").rows:
                    quads.append(
                        _quad(str(o), str(ox.NamedNode(_RDF_TYPE).value), t["t"], str(t["g"]))
                    )
    ontology = store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ID}graph/ontology> {{ ?s ?p ?o }} }}"
    ).rows
    quads += [_quad(str(r["s"]), str(r["p"]), r["o"], f"{ID}graph/ontology") for r in ontology]
    return quads


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _quad(s: str, p: str, o: object, g: str) -> ox.Quad:
    from gcm_kg.rdf.terms import to_oxigraph

    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), to_oxigraph(o), ox.NamedNode(g))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def context(oxigraph_store: Store) -> tuple[Store, list[ox.Quad]]:
    quads = _closure(oxigraph_store)
    small = open_store("oxigraph:")
    small.replace_all(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))  # type: ignore[arg-type]
    return small, quads


def _submission(text: str) -> Submission:
    return Submission(parse_bytes((PREFIXES + text).encode(), rdf_format("turtle")))


def test_the_small_context_conforms_with_no_result(context, shapes: Graph) -> None:  # type: ignore[no-untyped-def]
    data = ox.Store()
    data.extend(context[1])
    report = validate_dataset(data, shapes)
    assert not report.results, report.text()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_targeted_report_equals_whole_union_report(case: str, context, shapes: Graph) -> None:  # type: ignore[no-untyped-def]
    store, quads = context
    submission = _submission(CASES[case])
    targeted = validate(submission, store, shapes)
    union = ox.Store()
    union.extend(quads)
    union.extend(submission.quads())
    whole = validate_dataset(union, shapes)
    assert [r.key() for r in targeted.results] == [r.key() for r in whole.results]
    assert targeted.conforms == whole.conforms


def test_cases_exercise_results(context, shapes: Graph) -> None:  # type: ignore[no-untyped-def]
    """Guard against a vacuous comparison: all but the valid case produce violations."""
    store, _ = context
    broken = [c for c in CASES if c != "valid pledges"]
    assert all(validate(_submission(CASES[c]), store, shapes).violations for c in broken)
