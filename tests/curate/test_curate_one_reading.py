"""One reading decides: the triples ``POST /curate`` validates are exactly the triples it stores.

The body is read once (pyoxigraph) and that one list of terms goes to the shapes and to the store.
A conversion on the way (to rdflib and back, or a re-parse of serialised text) could change a
literal (rdflib reads "true "^^xsd:boolean as "false", "01" as "1", a dateTime's "Z" as
"+00:00") or a blank node, and the store would then hold triples nobody validated; these terms
are chosen so that it would. (Oxigraph itself writes some values canonically, "01" as "1" and
"+00:00" as "Z": the body is compared as that engine holds it.)
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from gcm_kg.store import Store
from gcm_kg.validate import bounded
from gcm_kg.validate.parse import SUBMISSION_GRAPH
from tests.curate.helpers import Curators, pledge_ttl

SLUG = "one-reading"
PLEDGE = f"https://w3id.org/gcm-kg/id/pledge/{SLUG}"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: objects a conversion through rdflib's literals would rewrite, and a blank node
TRICKY = f"""
<{PLEDGE}> <https://example.org/vocab/count> "01"^^<{XSD}integer> ;
    <https://example.org/vocab/when> "2020-01-01T00:00:00Z"^^<{XSD}dateTime> ;
    <https://example.org/vocab/flag> "true "^^<{XSD}boolean> ;
    <https://example.org/vocab/ratio> "1E0"^^<{XSD}double> ;
    <https://example.org/vocab/small> "+5"^^<{XSD}int> ;
    <https://example.org/vocab/note> "Nota"@pt-BR ;
    <https://example.org/vocab/part> [ <https://example.org/vocab/label> "a part" ] .
"""


def _shape(triples: list[ox.Triple]) -> set[str]:
    """The triples with every blank node written ``_:b`` (the body has one), as N-Triples."""

    def term(t: object) -> str:
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)

    return {f"{term(t.subject)} {t.predicate} {term(t.object)}" for t in triples}


@pytest.fixture()
def validated(monkeypatch: pytest.MonkeyPatch) -> list[ox.Triple]:
    """The write's triples as the shapes are given them (recorded where the check is prepared)."""
    seen: list[ox.Triple] = []
    real = bounded.prepare_change

    def recording(added, gone, context):  # type: ignore[no-untyped-def]
        job = real(added, gone, context)
        seen.extend(
            q.triple for q in job.data.quads_for_pattern(None, None, None, SUBMISSION_GRAPH)
        )
        return job

    monkeypatch.setattr(bounded, "prepare_change", recording)
    return seen


def test_the_validated_triples_are_the_stored_triples(
    wclient, wstore: Store, curators: Curators, validated: list[ox.Triple]
) -> None:  # type: ignore[no-untyped-def]
    body = pledge_ttl(SLUG) + TRICKY
    resp = wclient.post(
        "/curate",
        data=body.encode(),
        headers={"Content-Type": "text/turtle", **curators.header(curators.ana)},
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    engine = wstore.engine()
    assert engine is not None
    graph = ox.NamedNode(resp.headers["Location"])
    stored = [q.triple for q in engine.quads_for_pattern(None, None, None, graph)]
    as_held = ox.Store()  # the body as the engine holds it (numbers written canonically)
    as_held.extend(ox.parse(body.encode(), format=ox.RdfFormat.TURTLE))
    sent = [q.triple for q in as_held]

    assert validated, "the shapes were not run on the submission"
    assert set(stored) == set(validated)  # the same terms, blank nodes included
    assert _shape(stored) == _shape(sent)  # and the terms the curator sent
    assert resp.json["triples"] == len(sent)
    [bnode] = {t.object for t in stored if isinstance(t.object, ox.BlankNode)}
    assert bnode not in {t.object for t in sent}  # a blank node of its own, not the document's


def test_a_graph_store_write_stores_the_terms_it_validated(
    wclient, wstore: Store, curators: Curators, validated: list[ox.Triple]
) -> None:  # type: ignore[no-untyped-def]
    """PUT /graphs writes with the record in one SPARQL update built from the same terms: the
    store gives the blank node a label of its own, every other term is the one validated."""
    graph = "http://www.example/curated/one-reading"
    body = TRICKY.replace(PLEDGE, "http://www.example/a")
    resp = wclient.put(
        "/graphs",
        query_string={"graph": graph},
        data=body.encode(),
        headers={"Content-Type": "text/turtle", **curators.header(curators.ana)},
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    engine = wstore.engine()
    assert engine is not None
    stored = [q.triple for q in engine.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
    as_held = ox.Store()
    as_held.extend(ox.parse(body.encode(), format=ox.RdfFormat.TURTLE))
    assert validated, "the shapes were not run on the write"
    assert _shape(stored) == _shape(validated) == _shape([q.triple for q in as_held])
