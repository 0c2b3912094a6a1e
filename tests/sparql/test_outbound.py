"""No query makes the server reach out: a listener on loopback hears nothing from any form.

The controls first show the listener hears both engines when they are asked directly, so a
silent listener means the guard held, not that the test could not notice.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Dataset


class Listener:
    """Counts TCP connections to a loopback port."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    ear = Listener()
    yield ear
    ear.close()


def test_control_oxigraph_reaches_out_when_asked_directly(listener: Listener) -> None:
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}/> {{ ?s ?p ?o }} }}"))
    assert listener.hits == 1


def test_control_rdflib_reaches_out_when_asked_directly(listener: Listener) -> None:
    with pytest.raises(OSError):
        list(Dataset().query(f"SELECT * WHERE {{ SERVICE <{listener.url}/> {{ ?s ?p ?o }} }}"))
    assert listener.hits == 1


def forms(url: str) -> list[tuple[str, str, dict[str, str] | None, int]]:
    """(name, query, extra parameters, expected status) for every way a query could reach out."""
    service = f"SERVICE <{url}/sparql> {{ ?s ?p ?o }}"
    return [
        ("SERVICE", f"SELECT * WHERE {{ {service} }}", None, 400),
        (
            "SERVICE SILENT",
            f"SELECT * WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
            None,
            400,
        ),
        (
            "escaped SERVICE",
            f"SELECT * WHERE {{ \\u0053ERVICE <{url}/> {{ ?s ?p ?o }} }}",
            None,
            400,
        ),
        ("SERVICE in EXISTS", f"ASK {{ FILTER EXISTS {{ {service} }} }}", None, 400),
        (
            "SERVICE in a subquery",
            f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {service} }} }} }}",
            None,
            400,
        ),
        ("SERVICE in CONSTRUCT", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {service} }}", None, 400),
        ("SERVICE in ASK", f"ASK {{ {service} }}", None, 400),
        ("SERVICE in DESCRIBE", f"DESCRIBE ?s WHERE {{ {service} }}", None, 400),
        (
            "SERVICE by variable",
            f"SELECT * WHERE {{ BIND(<{url}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            None,
            400,
        ),
        ("FROM in ASK", f"ASK FROM <{url}/g.ttl> {{ ?s ?p ?o }}", None, 400),
        (
            "FROM in CONSTRUCT",
            f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}",
            None,
            400,
        ),
        ("FROM in DESCRIBE", f"DESCRIBE ?s FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}", None, 400),
        ("escaped FROM", f"SELECT * \\u0046ROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}", None, 400),
        ("FROM", f"SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}", None, 400),
        (
            "FROM NAMED",
            f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            None,
            400,
        ),
        ("LOAD as a query", f"LOAD <{url}/g.ttl>", None, 403),
        ("LOAD SILENT INTO GRAPH", f"LOAD SILENT <{url}/g.ttl> INTO GRAPH <urn:g>", None, 403),
        (
            "default-graph-uri",
            "SELECT * WHERE { ?s ?p ?o }",
            {"default-graph-uri": url + "/g"},
            200,
        ),
        (
            "named-graph-uri",
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"named-graph-uri": url + "/g"},
            200,
        ),
        ("DESCRIBE", f"DESCRIBE <{url}/thing>", None, 200),
        ("GRAPH", f"SELECT * WHERE {{ GRAPH <{url}/g> {{ ?s ?p ?o }} }}", None, 200),
    ]


def test_no_query_form_reaches_out(web: FlaskClient, listener: Listener) -> None:
    statuses = {}
    for name, query, extra, _ in forms(listener.url):
        qs = "query=" + quote(query) + "".join(f"&{k}={quote(v)}" for k, v in (extra or {}).items())
        statuses[name] = web.get("/sparql?" + qs).status_code
    assert statuses == {name: status for name, _, _, status in forms(listener.url)}
    assert listener.hits == 0


@pytest.mark.parametrize("how", ["form", "direct"])
def test_no_posted_query_form_reaches_out(web: FlaskClient, listener: Listener, how: str) -> None:
    statuses = {}
    for name, query, extra, _ in forms(listener.url):
        qs = "&".join(f"{k}={quote(v)}" for k, v in (extra or {}).items())
        if how == "form":
            resp = web.post("/sparql?" + qs, data={"query": query})
        else:
            ctype = {"Content-Type": "application/sparql-query"}
            resp = web.post("/sparql?" + qs, data=query.encode(), headers=ctype)
        statuses[name] = resp.status_code
    assert statuses == {name: status for name, _, _, status in forms(listener.url)}
    assert listener.hits == 0


def test_no_write_form_reaches_out(web: FlaskClient, listener: Listener) -> None:
    load = f"LOAD <{listener.url}/g.ttl>"
    assert web.post("/sparql", data={"update": load}).status_code == 403
    direct = web.post(
        "/sparql", data=load.encode(), headers={"Content-Type": "application/sparql-update"}
    )
    assert direct.status_code == 403
    assert listener.hits == 0


def test_no_named_query_parameter_reaches_out(web: FlaskClient, listener: Listener) -> None:
    resp = web.get("/queries/cq10-provenance?resource=" + quote(listener.url + "/x"))
    # the graph does not mention it: 404 naming the accepted forms (#14), found by asking the
    # store about the IRI, which must not dereference it either
    assert resp.status_code == 404
    assert listener.hits == 0
