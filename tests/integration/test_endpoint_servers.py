"""The endpoint on real servers over loopback: waitress with SPARQLWrapper, and ``gcm-kg serve``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from gcm_kg.config import PROJECT_ROOT, Settings
from gcm_kg.store.oxigraph import OxigraphStore
from gcm_kg.web.app import executor
from tests.helpers import make_live_app
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow
OBJ20 = "https://w3id.org/gcm-kg/id/objective/20"
SELECT = (
    "PREFIX gcm: <https://w3id.org/gcm-kg/ontology#> "
    "SELECT ?o ?n WHERE { ?o a gcm:Objective ; gcm:objectiveNumber ?n } ORDER BY ?n"
)
CONSTRUCT = f"CONSTRUCT {{ <{OBJ20}> ?p ?o }} WHERE {{ <{OBJ20}> ?p ?o }}"


@pytest.fixture(scope="module")
def endpoint(
    settings: Settings, nquads: bytes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The production set-up: on-disk Oxigraph, query worker processes, waitress."""
    store = OxigraphStore(tmp_path_factory.mktemp("served") / "store")
    store.replace_all(nquads)
    app = make_live_app(settings, store, query_processes=2)
    server = LiveServer(app, threads=4)
    yield server.url + "/sparql"
    server.close()
    executor(app).close()
    store.close()


def wrapper(url: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    w = SPARQLWrapper(url)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method:
        w.setMethod(method)
    return w


def test_select_as_json(endpoint: str) -> None:
    doc = wrapper(endpoint, SELECT, JSON).query().convert()
    assert len(doc["results"]["bindings"]) == 23  # type: ignore[index,call-overload]


@pytest.mark.parametrize("method", [None, POST])
def test_select_as_xml(endpoint: str, method: str | None) -> None:
    doc = wrapper(endpoint, SELECT, XML, method).query().convert()
    assert len(doc.getElementsByTagName("result")) == 23  # type: ignore[union-attr]


def test_select_as_csv_and_tsv(endpoint: str) -> None:
    csv = wrapper(endpoint, SELECT, CSV).query().convert()
    tsv = wrapper(endpoint, SELECT, TSV).query().convert()
    assert csv.decode().splitlines()[0] == "o,n" and len(csv.decode().splitlines()) == 24  # type: ignore[union-attr]
    assert tsv.decode().splitlines()[0] == "?o\t?n" and len(tsv.decode().splitlines()) == 24  # type: ignore[union-attr]


def test_posted_directly(endpoint: str) -> None:
    w = wrapper(endpoint, SELECT, JSON)
    w.setRequestMethod(POSTDIRECTLY)
    w.setMethod(POST)
    assert len(w.query().convert()["results"]["bindings"]) == 23  # type: ignore[index,call-overload]


def test_ask(endpoint: str) -> None:
    assert wrapper(endpoint, f"ASK {{ <{OBJ20}> ?p ?o }}", JSON).query().convert()["boolean"]  # type: ignore[index,call-overload]


@pytest.mark.parametrize("fmt", [XML, TURTLE, JSONLD])
def test_construct(endpoint: str, fmt: str) -> None:
    result = wrapper(endpoint, CONSTRUCT, fmt).query()
    converted = result.convert()
    g = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format=fmt)
    assert (URIRef(OBJ20), None, None) in g


def test_bad_query_is_reported_as_such(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT * WHERE { ?s ?p }", JSON).query()


def test_curl_style_get_with_each_accept(endpoint: str) -> None:
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        req = urllib.request.Request(
            endpoint + "?query=" + quote(SELECT), headers={"Accept": accept}
        )
        with urllib.request.urlopen(req) as resp:
            assert resp.headers.get_content_type() == accept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_command_builds_an_empty_store_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = os.environ | {
        "GCM_KG_STORE": f"oxigraph:{tmp_path / 'store'}",
        "GCM_KG_GRAPH_DIR": str(tmp_path / "graph"),
        "GCM_KG_RATE_LIMIT": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gcm_kg", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql?query=" + quote(
            "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url) as resp:
                    doc = json.load(resp)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
        assert int(doc["results"]["bindings"][0]["n"]["value"]) > 10_000
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "built the graph" in out and f"127.0.0.1:{port}/sparql" in out
