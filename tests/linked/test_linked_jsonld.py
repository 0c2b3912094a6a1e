"""Framed JSON-LD: it expands, with the published context alone, to exactly the description."""

from __future__ import annotations

import json

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from gcm_kg.linked import frames
from gcm_kg.linked.context import load
from gcm_kg.linked.describe import describe
from gcm_kg.linked.jsonld import encode_literal, frame
from gcm_kg.store import Store
from tests.linked.helpers import BASE, expand_to_graph, plain

ID = BASE + "id/"
OBJECTIVE_20 = ID + "objective/20"

# "About" an objective, stated independently of the code under test: the triples whose
# subject is the objective or one of its dependent nodes (qualified links, commitment text),
# the paragraphs and pledges pointing at it, and the English labels / compact SDG codes of
# every other IRI those triples reach.
ABOUT_OBJECTIVE = """
PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?s ?p ?o } WHERE {
  {
    { BIND (<%(iri)s> AS ?s) ?s ?p ?o }
    UNION { <%(iri)s> gcm:qualifiedLink|gcm:hasCommitmentText ?s . ?s ?p ?o }
    UNION { VALUES ?p { gcm:addressesObjective gcm:supportsObjective }
            ?s ?p <%(iri)s> BIND (<%(iri)s> AS ?o) }
  } UNION {
    { <%(iri)s> ?q ?s } UNION { <%(iri)s> gcm:qualifiedLink|gcm:hasCommitmentText ?d . ?d ?q ?s }
    UNION { VALUES ?q { gcm:addressesObjective gcm:supportsObjective } ?s ?q <%(iri)s> }
    FILTER (isIRI(?s) && ?q != rdf:type)
    ?s ?p ?o .
    FILTER ((?p IN (rdfs:label, skos:prefLabel) && lang(?o) IN ("en", ""))
            || (?p = skos:notation && datatype(?o) = sdgo:SDGCodeCompact))
  }
}
"""


def _about(store: Store, iri: str) -> Graph:
    g = Graph()
    for t in store.query(ABOUT_OBJECTIVE % {"iri": iri}).triples:
        g.add(t)
    return plain(g)


def _explain(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return f"only in JSON-LD:\n{only_a.serialize(format='nt')}\nonly in graph:\n{only_b.serialize(format='nt')}"


def test_objective_20_expands_to_exactly_the_triples_about_it(ld, oxigraph_store: Store) -> None:
    resp = ld.get("/id/objective/20", headers={"Accept": "application/ld+json"})
    assert resp.status_code == 200
    assert resp.mimetype == "application/ld+json"
    doc = resp.get_json()
    assert doc["@context"] == BASE + "context.jsonld"
    expanded = expand_to_graph(doc)
    expected = _about(oxigraph_store, OBJECTIVE_20)
    assert len(expected) > 40  # the objective, its links, paragraphs and labels
    assert isomorphic(expanded, expected), _explain(expanded, expected)


@pytest.mark.parametrize(
    "path",
    [
        "objective/20",
        "objective/1",
        "round-table/3",
        "principle/child-sensitive",
        "declaration/imrf-2022/paragraph/67",
        "declaration/imrf-2022/section/5",
        "actor/mex",
        "actor/iom",
        "pledge/un-system-joint-commitment-imrf-2022",
        "figure/pledges-received-2022",
        "event/imrf-2022",
    ],
)
def test_every_frame_expands_to_its_description(store: Store, path: str) -> None:
    desc = describe(store, URIRef(ID + path))
    assert desc.exists
    expanded = expand_to_graph(frame(desc, BASE))
    expected = plain(desc.graph())
    assert isomorphic(expanded, expected), _explain(expanded, expected)


def test_description_is_the_same_on_every_backend(oxigraph_store: Store, memory_store: Store):
    a = plain(describe(oxigraph_store, URIRef(OBJECTIVE_20)).graph())
    b = plain(describe(memory_store, URIRef(OBJECTIVE_20)).graph())
    assert isomorphic(a, b), _explain(a, b)


def test_objective_frame_has_every_key_in_order(oxigraph_store: Store) -> None:
    doc = frame(describe(oxigraph_store, URIRef(OBJECTIVE_20)), BASE)
    keys = [k for k in doc if k not in ("@context", "id", "type")]
    assert keys[: len(frames.OBJECTIVE.keys)] == list(frames.OBJECTIVE.keys)
    assert "Objective" in doc["type"]  # with "Concept" inferred from the ontology
    assert doc["objectiveNumber"] == 20
    assert doc["roundTable"] == {
        "id": ID + "round-table/3",
        "label": "Round table 3",
        "prefLabel": "Round table 3",
    }
    target = doc["sdgTargets"][0]
    assert target["id"] == "http://metadata.un.org/sdg/10.c"
    assert target["code"] == "10.c"
    assert target["prefLabel"].startswith("By 2030, reduce to less than 3 per cent")
    numbers = [p["id"].rsplit("/", 1)[1] for p in doc["paragraphs"]]
    assert "67" in numbers and numbers == sorted(numbers, key=int)
    assert doc["pledges"] == []  # no pledge in the sources names objective 20 (yet)


def test_missing_single_values_are_null_and_missing_lists_empty(oxigraph_store: Store) -> None:
    doc = frame(
        describe(
            oxigraph_store, URIRef(ID + "pledge/iasc-support-for-migrants-affected-by-crises")
        ),
        BASE,
    )
    assert doc["status"] is None
    assert doc["supportsObjectives"] == []
    assert [a["label"] for a in doc["pledgedBy"]] == ["Inter-Agency Standing Committee"]


def test_the_same_resource_gives_byte_identical_json(oxigraph_store: Store) -> None:
    one = json.dumps(frame(describe(oxigraph_store, URIRef(OBJECTIVE_20)), BASE))
    two = json.dumps(frame(describe(oxigraph_store, URIRef(OBJECTIVE_20)), BASE))
    assert one == two


@pytest.mark.parametrize(
    ("literal", "term", "expected"),
    [
        (Literal("Round table 3", lang="en"), "label", "Round table 3"),
        (
            Literal("Mesa redonda 3", lang="es"),
            "label",
            {"@value": "Mesa redonda 3", "@language": "es"},
        ),
        (Literal("plain"), "label", {"@value": "plain"}),
        (Literal(20), "objectiveNumber", 20),
        (Literal("twenty", datatype=XSD.integer), "objectiveNumber", "twenty"),  # ill-typed
        (Literal("100.0", datatype=XSD.decimal), "figureValue", "100.0"),
        (Literal("2022", datatype=XSD.gYear), "referenceYear", "2022"),
        (Literal(False), "isTarget", False),
        (
            Literal("2022", datatype=XSD.gYear),
            "evidence",
            {"@value": "2022", "@type": str(XSD.gYear)},
        ),
    ],
)
def test_literals_are_written_so_expansion_restores_them(literal, term, expected) -> None:  # type: ignore[no-untyped-def]
    assert encode_literal(literal, load().terms[term]) == expected
