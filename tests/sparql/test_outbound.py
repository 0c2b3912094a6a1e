"""No query makes the server reach out: a listener on loopback hears nothing from any form.

The controls first show the listener hears both engines when they are asked directly, so a
silent listener means the guard held, not that the test could not notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Dataset

from tests.helpers import Listener, forms


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
