"""RemoteStore without a server: how bindings become SPARQL text, and how network faults read."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from gcm_kg.errors import BadRequest, ConfigError, ParameterError, QueryTimeout, StoreError
from gcm_kg.store import open_store
from gcm_kg.store.remote import RemoteStore
from gcm_kg.store.sparql_text import bind, shape, term_n3

EX = "http://example.org/"


def test_values_go_first_in_the_where_group() -> None:
    q = "PREFIX ex: <http://example.org/>\nSELECT ?s WHERE { ?s ex:p ?o }"
    out = bind(q, {"o": Literal(3)})
    assert out.index("VALUES (?o)") > out.index("WHERE {")
    assert out.index("VALUES (?o)") < out.index("?s ex:p")
    prepareQuery(out)


def test_braces_in_comments_strings_and_iris_are_skipped() -> None:
    q = (
        "# a comment { with braces }\n"
        'SELECT ?s (STRLEN("{") AS ?n) WHERE { ?s <http://e/{x}> ?o . FILTER(?o != "}") }'
    )
    s = shape(q)
    assert q[s.group_open or 0] == "{" and q[(s.group_open or 0) - 6 : s.group_open] == "WHERE "


def test_construct_template_is_not_the_where_group() -> None:
    q = "CONSTRUCT { ?s <http://e/q> ?o } WHERE { ?s <http://e/p> ?o }"
    out = bind(q, {"s": URIRef(EX + "a")})
    assert out.startswith("CONSTRUCT { ?s <http://e/q> ?o } WHERE {\nVALUES (?s)")
    prepareQuery(out)


def test_construct_where_short_form_gets_a_template() -> None:
    out = bind("CONSTRUCT WHERE { ?s <http://e/p> ?o }", {"s": URIRef(EX + "a")})
    prepareQuery(out)
    assert "VALUES" not in out[: out.index("WHERE")]


def test_a_subselect_group_is_wrapped() -> None:
    q = "SELECT ?s WHERE { SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 }"
    prepareQuery(bind(q, {"s": URIRef(EX + "a")}))


def test_ask_without_where_keyword() -> None:
    out = bind("ASK { ?s ?p ?o }", {"p": URIRef(EX + "p")})
    assert out.startswith("ASK {\nVALUES (?p)")


def test_describe_without_a_group_cannot_take_bindings() -> None:
    with pytest.raises(BadRequest):
        bind("DESCRIBE <http://e/a>", {"s": URIRef(EX + "a")})


def test_dataset_clauses_are_detected() -> None:
    assert shape("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }").has_dataset
    assert not shape("PREFIX from: <http://e/>\nSELECT * WHERE { ?s from:p ?o }").has_dataset


@pytest.mark.parametrize(
    ("term", "n3"),
    [
        (URIRef("http://e/a#b"), "<http://e/a#b>"),
        (Literal('say "hi"\n\\ok'), r'"say \"hi\"\n\\ok"'),
        (Literal("México", lang="es"), '"México"@es'),
        (Literal("3", datatype=XSD.integer), '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (Literal("plain", datatype=XSD.string), '"plain"'),
    ],
)
def test_terms_are_written_as_sparql_terms(term: URIRef | Literal, n3: str) -> None:
    assert term_n3(term) == n3


@pytest.mark.parametrize(
    "term",
    [
        URIRef("http://e/a> } ; DROP ALL ; <http://e/b"),
        URIRef("no-scheme"),
        Literal("x", datatype=URIRef("http://e/t> . ")),
        Literal("\\u0022 } DROP ALL"),
        BNode("b0"),
    ],
)
def test_terms_that_cannot_be_written_safely_are_refused(term: URIRef | Literal) -> None:
    with pytest.raises(ParameterError):
        term_n3(term)


def test_a_hostile_literal_parses_back_as_one_value() -> None:
    hostile = Literal('x" } } ; DROP ALL ; SELECT * { ?s ?p "')
    out = bind("SELECT ?x WHERE { ?s ?p ?x }", {"x": hostile})
    parsed = prepareQuery(out)  # one query, nothing appended
    assert str(parsed.algebra.name) == "SelectQuery"
    assert out.count("DROP ALL") == 1 and '\\" } } ; DROP ALL' in out


def test_open_store_needs_an_url() -> None:
    with pytest.raises(ConfigError):
        open_store("sparql:")
    with pytest.raises(ConfigError):
        open_store("sparql:ftp://example.org/sparql")


def test_a_refused_connection_is_a_store_error_naming_the_server() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = RemoteStore(f"http://127.0.0.1:{port}/sparql")
    with pytest.raises(StoreError, match=rf"127\.0\.0\.1:{port}/sparql is unavailable"):
        store.query("ASK {}")


@pytest.fixture()
def silent_server() -> Iterator[int]:
    """A loopback listener that accepts and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except TimeoutError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join()
    for c in held:
        c.close()
    srv.close()


def test_a_server_that_does_not_answer_times_out(silent_server: int) -> None:
    store = RemoteStore(f"http://127.0.0.1:{silent_server}/sparql", timeout=0.5)
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"did not answer within 0\.5 s"):
        store.query("ASK {}")
    assert time.monotonic() - began < 2.0
    store.close()


def test_credentials_never_appear_in_messages() -> None:
    store = RemoteStore("http://reader:s3cret@127.0.0.1:9/sparql")
    assert "s3cret" not in store.url
    with pytest.raises(StoreError) as info:
        store.query("ASK {}")
    assert "s3cret" not in str(info.value)


def test_a_query_waits_no_longer_than_its_own_timeout(silent_server: int) -> None:
    store = RemoteStore(f"http://127.0.0.1:{silent_server}/sparql", timeout=30)
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"did not answer within 0\.3 s"):
        store.query("ASK {}", timeout=0.3)
    assert time.monotonic() - began < 2.0
    store.close()


def test_writes_wait_the_bulk_timeout_not_the_read_timeout(silent_server: int) -> None:
    url = f"http://127.0.0.1:{silent_server}/sparql"
    store = RemoteStore(url, timeout=0.1, bulk_timeout=0.6)
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"within 0\.6 s"):
        store.update("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
    assert 0.5 < time.monotonic() - began < 2.0
    store.close()


def test_the_endpoint_on_a_remote_store_answers_503_at_the_query_time_limit(
    silent_server: int,
) -> None:
    """The app opens the remote store with GCM_KG_QUERY_TIMEOUT as its read timeout."""
    from gcm_kg.config import Settings
    from tests.helpers import make_app

    settings = Settings(store=f"sparql:http://127.0.0.1:{silent_server}/sparql", query_timeout=0.5)
    app = make_app(settings)
    began = time.monotonic()
    resp = app.test_client().get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"})
    assert resp.status_code == 503
    assert "did not answer within 0.5 s" in resp.get_data(as_text=True)
    assert time.monotonic() - began < 3.0
    app.extensions["gcm_kg"].store.close()


def test_a_dump_waits_the_bulk_timeout_not_the_read_timeout(silent_server: int) -> None:
    store = RemoteStore(f"http://127.0.0.1:{silent_server}/sparql", timeout=0.1, bulk_timeout=0.6)
    store._stamp, store._stamp_read = "v", time.monotonic() + 3600  # no version look-up first
    store._graphs = ("http://example.org/g",)
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"within 0\.6 s"):
        store.dump()
    assert 0.5 < time.monotonic() - began < 2.0
    store.close()
