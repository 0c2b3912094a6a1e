"""Hostile RDF documents, wherever RDF is accepted: the validator's reader (also used by curator
writes), ``Store.load`` on every backend and ``gcm-kg load``. Each is refused with a typed 400
error naming the reason, nothing is fetched, and the store is unchanged.

Without the screen in ``gcm_kg.rdf.screen`` several of these crash or stall: 5,000 nested JSON-LD
objects segfault pyoxigraph; rdflib fetches remote JSON-LD contexts; entities expand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import URIRef

from gcm_kg import formats
from gcm_kg.cli import main
from gcm_kg.errors import BadRequest, UnreadableRDF
from gcm_kg.rdf import screen
from gcm_kg.store import Store
from gcm_kg.validate.parse import parse_bytes
from tests.helpers import Listener
from tests.security.cases import EX, Doc, hostile_docs, jsonld, nested_xml
from tests.security.hostile import snapshot

TARGET = URIRef("urn:x-test:hostile")


@pytest.fixture()
def listener() -> Iterator[Listener]:
    ear = Listener()
    yield ear
    ear.close()


def _ids(docs: list[Doc]) -> list[str]:
    return [d.id for d in docs]


DOC_IDS = _ids(hostile_docs("http://127.0.0.1:9"))


def _doc(listener: Listener, id: str) -> Doc:
    return next(d for d in hostile_docs(listener.url) if d.id == id)


@pytest.mark.parametrize("id", DOC_IDS)
def test_the_reader_refuses(listener: Listener, id: str) -> None:
    """The validator's and the curator writes' reader."""
    d = _doc(listener, id)
    with pytest.raises(UnreadableRDF, match=d.says):
        parse_bytes(d.data, formats.BY_NAME[d.format], "upload")
    assert listener.hits == 0


@pytest.mark.parametrize("id", DOC_IDS)
def test_every_store_refuses(listener: Listener, store: Store, id: str) -> None:
    d = _doc(listener, id)
    before = snapshot(store)
    with pytest.raises(BadRequest, match=d.says):
        store.load(d.data, formats.BY_NAME[d.format].media_type, TARGET)
    assert snapshot(store) == before
    assert listener.hits == 0


@pytest.mark.parametrize("id", ["billion laughs", "remote @context", "JSON-LD nested 5,000 deep"])
def test_gcm_kg_load_refuses(
    listener: Listener, tmp_path, capsys: pytest.CaptureFixture[str], id: str
) -> None:  # type: ignore[no-untyped-def]
    d = _doc(listener, id)
    path = tmp_path / ("doc." + formats.BY_NAME[d.format].extension)
    path.write_bytes(d.data)
    store = f"oxigraph:{tmp_path / 'store'}"
    code = main(["load", str(path), "--graph", str(TARGET), "--store", store])
    assert code == 2 and d.says in capsys.readouterr().err
    assert listener.hits == 0


def test_our_own_context_is_read_from_the_package(client: FlaskClient, listener: Listener) -> None:
    """A document from /api names our published context: it is put inline, never fetched."""
    resp = client.get("/api/objectives/20", headers={"Accept": "application/ld+json"})
    data = resp.data
    assert json.loads(data)["@context"] == screen.own_context_url()
    triples = parse_bytes(data, formats.BY_NAME["jsonld"], "api")
    subjects = {t.subject for t in triples}
    assert ox.NamedNode("https://w3id.org/gcm-kg/id/objective/20") in subjects
    assert any(t.predicate.value.startswith("https://w3id.org/gcm-kg/ontology#") for t in triples)


def test_an_inline_context_is_read(listener: Listener) -> None:
    data = jsonld({"name": f"{EX}name"}).encode()
    triples = parse_bytes(data, formats.BY_NAME["jsonld"], "inline")
    assert [t.predicate.value for t in triples] == [f"{EX}name"]


def test_nesting_at_the_limit_is_read() -> None:
    depth = screen.MAX_DEPTH - 2
    text = '{"@id": "http://ex.org/s", "http://ex.org/p": ' + '{"http://ex.org/p": ' * depth
    text += "1" + "}" * (depth + 1)
    assert len(parse_bytes(text.encode(), formats.BY_NAME["jsonld"])) == depth + 1
    assert len(parse_bytes(nested_xml(40).encode(), formats.BY_NAME["rdfxml"])) == 40


def test_deep_turtle_is_read_in_linear_time() -> None:
    """Turtle and TriG nest without recursion in pyoxigraph: no bound is needed there."""
    text = f"<{EX}s> <{EX}p> " + f"[ <{EX}p> " * 20_000 + "1" + " ]" * 20_000 + " ."
    assert len(parse_bytes(text.encode(), formats.BY_NAME["turtle"])) == 20_001
