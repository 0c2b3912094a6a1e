"""``/api/commitments``: commitment and request clauses, filtered by objective, kind,
addressee and whether a source says they were fulfilled."""

from __future__ import annotations

import pytest
from pyld import jsonld

from tests.linked.helpers import BASE

ID = BASE + "id/"
P = ID + "declaration/imrf-2022/paragraph/"


def _ids(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return [m["id"] for m in doc["member"]]


def test_all_clauses_in_paragraph_order(ld) -> None:
    doc = ld.get("/api/commitments?per_page=100").get_json()
    assert doc["totalItems"] == 41
    assert _ids(doc)[:3] == [P + "11/commitment/1", P + "51/commitment/1", P + "51/commitment/2"]
    assert _ids(doc)[-1] == P + "77/commitment/1"


def test_open_requests_and_fulfilled_ones(ld) -> None:
    done = ld.get("/api/commitments?kind=request&fulfilled=true").get_json()
    assert _ids(done) == [P + "70/commitment/1", P + "76/commitment/1", P + "77/commitment/1"]
    still_open = ld.get("/api/commitments?kind=request&fulfilled=false").get_json()
    assert still_open["totalItems"] == 8


def test_requests_to_the_president_of_the_general_assembly(ld) -> None:
    doc = ld.get("/api/commitments?addressee=office:president-of-the-general-assembly").get_json()
    assert _ids(doc) == [P + "77/commitment/1"]


def test_commitments_per_objective(ld) -> None:
    doc = ld.get("/api/commitments?objective=14").get_json()
    assert _ids(doc) == [P + "64/commitment/1"]


def test_a_member_expands_to_its_clause_and_fulfilment(ld) -> None:
    doc = ld.get("/api/commitments?addressee=office:president-of-the-general-assembly")
    expanded = jsonld.expand(doc.get_json(), {"documentLoader": _loader(ld)})
    text = str(expanded)
    assert "https://w3id.org/gcm-kg/ontology#fulfilledBy" in text
    assert ID + "event/ga-informal-plenary-2024-12-05" in text


def _loader(ld):  # type: ignore[no-untyped-def]
    def load(url: str, options: dict | None = None) -> dict:  # type: ignore[type-arg]
        body = ld.get("/context.jsonld").get_json()
        return {"contextUrl": None, "documentUrl": url, "document": body}

    return load


def test_bad_filter_values_are_400_and_unknown_addressees_404(ld) -> None:
    assert ld.get("/api/commitments?kind=promise").status_code == 400
    assert ld.get("/api/commitments?fulfilled=yes").status_code == 400
    assert ld.get("/api/commitments?addressee=office:nobody").status_code == 404


NEW_RESOURCES = [
    "declaration/imrf-2022/paragraph/77/commitment/1",
    "person/amy-pope",
    "person/amy-pope/holding/iom-director-general",
    "office/president-of-the-general-assembly",
    "statement/amy-pope-ga-plenary-2024-12-05",
]


@pytest.mark.parametrize("path", NEW_RESOURCES)
def test_new_resources_dereference_in_turtle_both_parsers_read(ld, path: str) -> None:
    import pyoxigraph
    from rdflib import Graph, URIRef

    body = ld.get(f"/id/{path}", headers={"Accept": "text/turtle"}).get_data()
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(ID + path), None, None) in g
    quads = list(pyoxigraph.parse(body, pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(g)


@pytest.mark.parametrize("path", NEW_RESOURCES)
def test_new_resources_jsonld_expands_with_pyld(ld, path: str) -> None:
    doc = ld.get(f"/id/{path}", headers={"Accept": "application/ld+json"}).get_json()
    expanded = jsonld.expand(doc, {"documentLoader": _loader(ld)})
    assert any(node.get("@id") == ID + path for node in expanded)
