"""A query or update that gets past the guard still cannot reach the network.

Every test here takes the guard away first, then aims SERVICE (or LOAD) at a real SPARQL
endpoint on loopback that answers one marked row. The controls show that endpoint is reached,
and its row returned, when the engines are asked directly; through the server it sees no
connection at all, and the client gets a 400 saying why, never the remote row.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from gcm_kg.config import Settings
from gcm_kg.errors import QueryRejected
from gcm_kg.sparql.sandbox import forbid_network
from gcm_kg.store import Store
from gcm_kg.web.app import executor
from gcm_kg.writes import stage
from tests.security.hostile import leaks, snapshot
from tests.security.remote_endpoint import MARKER, RemoteEndpoint
from tests.security.served import Served, production_app

TARGETS = ("workers", "in-process oxigraph", "memory")


@pytest.fixture(scope="module", params=TARGETS)
def target(
    request: pytest.FixtureRequest, settings: Settings, oxigraph_store: Store, memory_store: Store
) -> Iterator[Served]:
    if request.param == "workers":
        yield request.getfixturevalue("production")
        return
    store = oxigraph_store if request.param == "in-process oxigraph" else memory_store
    app = production_app(settings, store, query_processes=0)
    yield Served(app, store, request.param)
    executor(app).close()


@pytest.fixture()
def unguarded(target: Served, monkeypatch: pytest.MonkeyPatch) -> Served:
    """The target with its guard approving every text as it is."""
    monkeypatch.setattr(executor(target.app).guard, "check", lambda text, graphs: text)
    return target


def service(url: str) -> str:
    return f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


def test_control_oxigraph_returns_the_remote_row(remote: RemoteEndpoint) -> None:
    rows = list(ox.Store().query(service(remote.url)))
    assert [r["s"].value for r in rows] == [MARKER]
    assert remote.connections == 1


def test_control_the_guard_is_really_bypassed(unguarded: Served, remote: RemoteEndpoint) -> None:
    ex = executor(unguarded.app)
    assert ex.guard.check(service(remote.url), list) == service(remote.url)


def test_a_service_past_the_guard_never_connects(unguarded: Served, remote: RemoteEndpoint) -> None:
    before = snapshot(unguarded.store)
    path = "/sparql?query=" + quote(service(remote.url))
    resp = unguarded.app.test_client().get(path, headers={"Accept": "application/json"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, body[:300]
    assert "no outbound requests" in body
    assert MARKER not in body
    assert remote.connections == 0
    assert not leaks(body, path)
    assert snapshot(unguarded.store) == before


def test_control_oxigraph_load_reaches_the_network(remote: RemoteEndpoint) -> None:
    with pytest.raises((OSError, SyntaxError, RuntimeError)):  # its answer is not RDF
        ox.Store().update(f"LOAD <{remote.url}> INTO GRAPH <urn:g>")
    assert remote.connections == 1


def test_a_load_past_the_guard_never_connects(remote: RemoteEndpoint) -> None:
    """The update's staging process is filtered: the curators' /update path stages every
    update there before anything touches the store."""
    with pytest.raises(QueryRejected, match="reach the network"):
        stage.run(b"", f"LOAD <{remote.url}> INTO GRAPH <urn:g>", 10.0)
    assert remote.connections == 0


def test_the_filter_leaves_unix_sockets_and_other_threads_alone(remote: RemoteEndpoint) -> None:
    import socket
    import threading

    seen: list[str] = []

    def sealed() -> None:
        forbid_network(all_threads=False)
        a, b = socket.socketpair()
        a.close(), b.close()
        seen.append("unix ok")
        try:
            socket.create_connection(("127.0.0.1", remote.server_address[1]), timeout=5)
        except PermissionError:
            seen.append("inet refused")

    thread = threading.Thread(target=sealed)
    thread.start()
    thread.join(timeout=30)
    assert seen == ["unix ok", "inet refused"]
    assert remote.connections == 0
    socket.create_connection(("127.0.0.1", remote.server_address[1]), timeout=5).close()
