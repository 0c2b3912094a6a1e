"""One client cannot hold every connection slot: past its share, a new connection from the same
address is answered 503 (a problem document) and closed, and others are served."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.web.connections import cap_per_client
from tests.security.hostile import fetch
from tests.security.served import Server, production_app

CAP = 3


@pytest.fixture()
def capped(settings: Settings, memory_store: Store) -> Iterator[tuple[Flask, object]]:
    app = production_app(settings, memory_store)
    server = Server(app, settings)
    cap_per_client(server.server, CAP)
    yield app, server
    server.close()


def _held(server: object, n: int) -> None:
    """Wait (bounded) until the server has accepted ``n`` connections."""
    channels = server.server.active_channels  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while len(channels) < n and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(channels) >= n


def test_a_client_past_its_share_of_connections_is_refused(capped: tuple[Flask, object]) -> None:
    _, server = capped
    port = server.port  # type: ignore[attr-defined]
    tricklers = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CAP)]
    try:
        for s in tricklers:
            s.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")  # a request never finished
        _held(server, CAP)
        refused = fetch(server.url, "/id/objective/20", headers={"Accept": "application/json"})  # type: ignore[attr-defined]
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "5"
        assert json.loads(refused.data)["title"] == "Too many connections"
    finally:
        for s in tricklers:
            s.close()


def test_a_client_within_its_share_is_served(capped: tuple[Flask, object]) -> None:
    _, server = capped
    port = server.port  # type: ignore[attr-defined]
    held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CAP - 1)]
    try:
        _held(server, CAP - 1)
        resp = fetch(server.url, "/id/objective/20", headers={"Accept": "application/json"})  # type: ignore[attr-defined]
        assert resp.status_code == 200
    finally:
        for s in held:
            s.close()
