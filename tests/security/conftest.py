"""Fixtures of the security tests: the production set-up (on-disk Oxigraph, killable query
workers) as a Flask app, and the same app on a real waitress server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gcm_kg.config import Settings
from gcm_kg.web.app import executor
from tests.security.remote_endpoint import RemoteEndpoint
from tests.security.served import Served, Server, disk_store, production_app


@pytest.fixture(scope="module")
def production(
    settings: Settings, nquads: bytes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The default deployment: on-disk Oxigraph with query worker processes."""
    store = disk_store(nquads, tmp_path_factory.mktemp("hostile"))
    app = production_app(settings, store)
    yield Served(app, store, "oxigraph")
    executor(app).close()
    store.close()


@pytest.fixture(scope="module")
def live(production: Served) -> Iterator[Served]:
    """The production app on a real waitress server (slow tests only)."""
    server = Server(production.app, production.app.extensions["gcm_kg"].settings)
    yield Served(production.app, production.store, production.engine, server.url)
    server.close()


@pytest.fixture()
def remote() -> Iterator[RemoteEndpoint]:
    """A SPARQL endpoint on loopback that counts connections (what SERVICE would reach)."""
    endpoint = RemoteEndpoint()
    yield endpoint
    endpoint.close()
