"""The production set-up of the security tests, for their fixtures (conftest.py) and the tests
that build their own variant of it: the app as ``gcm-kg serve`` builds it (on-disk Oxigraph,
killable query workers) and the same app on a real waitress server on loopback."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.store.oxigraph import OxigraphStore
from tests.helpers import make_app
from tests.live_server import LiveServer

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


def Server(app: Flask, settings: Settings) -> LiveServer:
    """A waitress server with ``gcm-kg serve``'s options, on a free loopback port."""
    from gcm_kg.serving import waitress_options

    return LiveServer(app, **waitress_options(replace(settings, host="127.0.0.1", port=0)))
