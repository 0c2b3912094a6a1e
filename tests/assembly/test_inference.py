"""Materialised inferences (docs/reasoning.md): simple queries get complete answers."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS

from gcm_kg import iris
from gcm_kg.assembly.inference import INFERRED, infer
from gcm_kg.namespaces import GCM
from gcm_kg.store import Store

PREFIX = "PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>\n"


def values(store: Store, sparql: str, var: str = "x") -> set[str]:
    return {str(r[var]) for r in store.query(PREFIX + sparql).rows}


def test_asking_for_actors_returns_member_states(store: Store) -> None:
    actors = values(store, "SELECT ?x WHERE { ?x a gcm:Actor }")
    states = values(store, "SELECT ?x WHERE { ?x a gcm:MemberState }")
    assert len(states) == 193
    assert str(iris.state("MEX")) in actors
    assert states <= actors


def test_type_closure_lives_in_the_inferred_graph_only(store: Store) -> None:
    where = values(store, f"SELECT ?x WHERE {{ GRAPH ?x {{ <{iris.state('MEX')}> a gcm:Actor }} }}")
    assert where == {str(INFERRED)}


def test_paragraphs_of_the_declaration_without_a_property_path(store: Store) -> None:
    decl = iris.declaration()
    paragraphs = values(
        store, f"SELECT ?x WHERE {{ ?x a gcm:DeclarationParagraph ; gcm:isPartOf <{decl}> }}"
    )
    assert len(paragraphs) == 77
    assert str(iris.paragraph(45)) in paragraphs  # in a section, not directly in the declaration


def test_declaration_has_its_paragraphs(store: Store) -> None:
    parts = values(store, f"SELECT ?x WHERE {{ <{iris.declaration()}> gcm:hasPart ?x }}")
    assert {str(iris.paragraph(n)) for n in range(1, 78)} <= parts


def test_part_of_reaches_dcterms(store: Store) -> None:
    sections = values(
        store, f"SELECT ?x WHERE {{ <{iris.paragraph(45)}> <{DCTERMS.isPartOf}> ?x }}"
    )
    assert str(iris.declaration()) in sections


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_objectives_and_round_tables_join_both_ways(store: Store, n: int) -> None:
    rt = iris.round_table(n)
    forward = values(store, f"SELECT ?x WHERE {{ <{rt}> gcm:coversObjective ?x }}")
    backward = values(store, f"SELECT ?x WHERE {{ ?x gcm:coveredByRoundTable <{rt}> }}")
    assert forward and forward == backward


def test_round_table_2_covers_its_objectives(store: Store) -> None:
    objectives = values(
        store,
        f"SELECT ?x WHERE {{ ?o gcm:coveredByRoundTable <{iris.round_table(2)}> ; "
        "gcm:objectiveNumber ?x }",
    )
    assert objectives == {"4", "8", "9", "10", "11", "13", "21"}


def test_nothing_inferred_is_also_asserted(store: Store) -> None:
    result = store.query(
        f"ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER (?g != <{INFERRED}>) }}"
    )
    assert result.boolean is False


def test_inferred_graph_has_provenance(store: Store) -> None:
    derived = values(
        store,
        f"PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?x WHERE {{ <{INFERRED}> prov:wasDerivedFrom ?x }}",
    )
    assert derived == {str(iris.document("ontology"))}


# ---------------------------------------------------------------- the rules on small fixtures


EX = "https://example.org/fixture/"


def test_an_inverse_is_added_when_only_one_side_is_asserted(onto: Graph) -> None:
    rt, obj = URIRef(EX + "rt"), URIRef(EX + "objective")
    assert (obj, GCM.coveredByRoundTable, rt) in infer([(rt, GCM.coversObjective, obj)], onto)
    assert (rt, GCM.coversObjective, obj) in infer([(obj, GCM.coveredByRoundTable, rt)], onto)


def test_part_of_is_transitive_through_sub_properties(onto: Graph) -> None:
    para, sec, decl = URIRef(EX + "p"), URIRef(EX + "s"), URIRef(EX + "d")
    out = infer([(para, GCM.inSection, sec), (sec, GCM.isPartOf, decl)], onto)
    assert (para, GCM.isPartOf, decl) in out
    assert (para, DCTERMS.isPartOf, decl) in out
    assert (decl, GCM.hasPart, para) in out
    assert (decl, DCTERMS.hasPart, para) in out


def test_asserted_triples_are_not_repeated(onto: Graph) -> None:
    x = URIRef(EX + "x")
    out = infer([(x, RDF.type, GCM.MemberState), (x, RDF.type, GCM.Actor)], onto)
    assert (x, RDF.type, GCM.Actor) not in out
    assert (x, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in out
