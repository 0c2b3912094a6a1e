"""The triple store stops mid-run: a clear 503-style error, then recovery without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gcm_kg.errors import StoreError
from gcm_kg.store.remote import GRAPH_PREFIX, RemoteStore
from tests.integration.virtuoso import VirtuosoServer

pytestmark = pytest.mark.slow

DATA = f"""<http://example.org/mex> <http://example.org/code> "MEX" <{GRAPH_PREFIX}fault> .
<http://example.org/iom> <http://example.org/code> "IOM" <{GRAPH_PREFIX}fault> .
""".encode()
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[VirtuosoServer]:
    """A Virtuoso of this test's own: the test stops and starts it."""
    srv = VirtuosoServer(tmp_path / "virtuoso")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture()
def store(server: VirtuosoServer) -> Iterator[RemoteStore]:
    remote = RemoteStore(server.url, graph_store_url=server.graph_store_url, version_ttl=0)
    yield remote
    remote.close()


@pytest.mark.parametrize("kill", [False, True], ids=["stopped", "crashed"])
def test_store_down_then_back(server: VirtuosoServer, store: RemoteStore, kill: bool) -> None:
    store.replace_all(DATA)
    assert int(store.query(COUNT).rows[0]["n"]) == 2  # a kept-alive connection now exists

    server.stop(kill=kill)
    with pytest.raises(StoreError) as info:
        store.query(COUNT)
    assert info.value.status == 503
    assert f"triple store at {server.url} is unavailable" in info.value.detail
    with pytest.raises(StoreError):
        store.version()

    server.start()
    assert int(store.query(COUNT).rows[0]["n"]) == 2  # same object, data durable
    triple = '<http://example.org/fra> <http://example.org/code> "FRA"'
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH_PREFIX}fault> {{ {triple} }} }}")
    assert int(store.query(COUNT).rows[0]["n"]) == 3
