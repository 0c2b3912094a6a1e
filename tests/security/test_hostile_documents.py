"""Hostile RDF documents, wherever RDF is accepted: the validator's reader (also used by curator
writes), ``Store.load`` on every backend and ``gcm-kg load``. Each is refused with a typed 400
error naming the reason, nothing is fetched, and the store is unchanged.

Without the screen in ``gcm_kg.rdf.screen`` several of these crash or stall: 5,000 nested JSON-LD
objects segfault pyoxigraph; rdflib fetches remote JSON-LD contexts; entities expand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

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
from tests.security.hostile import snapshot

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
EX = "http://ex.org/"
TARGET = URIRef("urn:x-test:hostile")


def laughs(levels: int) -> str:
    """Nested entities: 10**levels copies of "lol" from a few hundred bytes."""
    ents = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{ents}]>\n<rdf:RDF {RDF}>'
        f'<rdf:Description rdf:about="{EX}s"><rdf:value>&lol{levels};</rdf:value>'
        "</rdf:Description></rdf:RDF>"
    )


def rdfxml(inner: str, prolog: str = '<?xml version="1.0"?>\n') -> str:
    return f"{prolog}<rdf:RDF {RDF}>{inner}</rdf:RDF>"


def nested_xml(depth: int) -> str:
    inner = f'<rdf:Description rdf:about="{EX}s">'
    inner += f'<rdf:value xmlns:e="{EX}"><rdf:Description>' * depth
    inner += "</rdf:Description></rdf:value>" * depth + "</rdf:Description>"
    return rdfxml(inner)


def jsonld(context: object, **extra: object) -> str:
    return json.dumps({"@context": context, "@id": f"{EX}s", "name": "x"} | extra)


@dataclass(frozen=True)
class Doc:
    id: str
    data: bytes
    format: str  # a format name of gcm_kg.formats
    says: str  # the refusal names this


def doc(id: str, text: str | bytes, fmt: str, says: str) -> Doc:
    return Doc(id, text.encode() if isinstance(text, str) else text, fmt, says)


def hostile_docs(url: str) -> list[Doc]:
    """``url`` is a loopback listener that must hear nothing."""
    passwd = '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    remote = f'<!DOCTYPE r [<!ENTITY e SYSTEM "{url}/entity">]>'
    body = f'<rdf:Description rdf:about="{EX}s"><rdf:value>&e;</rdf:value></rdf:Description>'
    return [
        doc("billion laughs", laughs(5), "rdfxml", "DOCTYPE"),
        doc("external entity naming a file", rdfxml(body, passwd), "rdfxml", "DOCTYPE"),
        doc("external entity naming a URL", rdfxml(body, remote), "rdfxml", "DOCTYPE"),
        doc("lower-case doctype", laughs(3).replace("DOCTYPE", "doctype"), "rdfxml", "DOCTYPE"),
        doc("DOCTYPE after a comment", rdfxml(body, "<!-- hi -->\n" + passwd), "rdfxml", "DOCTYPE"),
        doc("DOCTYPE in UTF-16", laughs(3).encode("utf-16"), "rdfxml", "DOCTYPE"),
        doc("ENTITY outside a DOCTYPE", rdfxml(body, '<!ENTITY e "x">'), "rdfxml", "ENTITY"),
        doc("XML nested 20,000 deep", nested_xml(20_000), "rdfxml", "more than 100 levels"),
        doc("remote @context", jsonld(f"{url}/ctx.jsonld"), "jsonld", "never fetched"),
        doc(
            "remote @context in an array",
            jsonld([{"a": EX}, f"{url}/c"]),
            "jsonld",
            "never fetched",
        ),
        doc("@import in a context", jsonld({"@import": f"{url}/c"}), "jsonld", "never fetched"),
        doc(
            "remote scoped context",
            jsonld({"knows": {"@id": f"{EX}knows", "@context": f"{url}/c"}}),
            "jsonld",
            "never fetched",
        ),
        doc(
            "remote context deep in the graph",
            jsonld({}, **{f"{EX}p": {"@context": f"{url}/c", "@id": f"{EX}o"}}),
            "jsonld",
            "never fetched",
        ),
        doc("relative @context", jsonld("context.jsonld"), "jsonld", "never fetched"),
        doc(
            "escaped @context key",
            jsonld({}).replace('"@context"', '"\\u0040context"').replace("{}", f'"{url}/c"', 1),
            "jsonld",
            "never fetched",
        ),
        doc(
            "JSON-LD nested 5,000 deep",
            '{"@id": "http://ex.org/s", "http://ex.org/p": '
            + '{"http://ex.org/p": ' * 5000
            + "1"
            + "}" * 5001,
            "jsonld",
            "more than 100 levels",
        ),
        doc("JSON nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "jsonld", "more than 100"),
        doc("JSON-LD that is not UTF-8", b'{"@id": "\xff"}', "jsonld", "not JSON"),
    ]


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
