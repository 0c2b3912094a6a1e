"""Fixtures of the security tests: the production set-up (on-disk Oxigraph, killable query
workers) as a Flask app, and the same app on a real waitress server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.store.oxigraph import OxigraphStore
from gcm_kg.web.app import executor
from tests.helpers import make_app
from tests.live_server import LiveServer
from tests.security.remote_endpoint import RemoteEndpoint

#: the time limit of the apps here: short, so runaway cases cost little
LIMIT = 2.0


@dataclass
class Served:
    """An app, its store, and (on a real server) its loopback URL."""

    app: Flask
    store: Store
    engine: str
    url: str = ""


def production_app(settings: Settings, store: Store, **overrides: object) -> Flask:
    """The app as ``gcm-kg serve`` builds it, with the limits given."""
    return make_app(settings, store, **({"query_processes": 2, "query_timeout": LIMIT} | overrides))


def disk_store(nquads: bytes, folder: Path) -> OxigraphStore:
    store = OxigraphStore(folder / "store")
    store.replace_all(nquads)
    return store


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


def Server(app: Flask, settings: Settings) -> LiveServer:
    """A waitress server with ``gcm-kg serve``'s options, on a free loopback port."""
    from gcm_kg.serving import waitress_options

    return LiveServer(app, **waitress_options(replace(settings, host="127.0.0.1", port=0)))


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
