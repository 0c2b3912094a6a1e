"""Shared fixtures: the built graph (once per session), stores loaded with it, the app.

The network is blocked for every test except loopback: nothing in the suite may reach out.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from gcm_kg.config import Settings
from gcm_kg.store import Store
from tests.helpers import ARGS, CHROMIUM, close_app, make_app, make_live_app


def _loopback_only(real_connect):  # type: ignore[no-untyped-def]
    def connect(sock, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (
            host.startswith("127.") or host in ("localhost", "::1") or sock.family == socket.AF_UNIX
        ):
            return real_connect(sock, address)
        raise OSError(f"network access blocked in tests: {address!r}")

    return connect


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only(socket.socket.connect))


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings that read the real sources but write only to a temporary folder.

    The rate limit is off here (suites send hundreds of requests from one address); its own
    tests switch it on.
    """
    tmp = tmp_path_factory.mktemp("gcmkg")
    return Settings.from_env(
        data_dir=tmp,
        graph_dir=tmp / "graph",
        store=f"oxigraph:{tmp / 'store'}",
        rate_limit=0,
        curator_tokens=tmp / "curator-tokens",
        audit_log=tmp / "audit.log",
    )


@pytest.fixture(scope="session")
def built(settings: Settings):  # type: ignore[no-untyped-def]
    """The graph built from the real sources, once per test session."""
    from gcm_kg.assembly.pipeline import build

    return build(settings, load_store=False)


@pytest.fixture(scope="session")
def built_union(built):  # type: ignore[no-untyped-def]
    """The union of the built graph's named graphs, as one rdflib Graph (read it, never write)."""
    from rdflib import Graph

    union = Graph()
    for s, p, o, _ in built.dataset.quads():
        union.add((s, p, o))
    return union


@pytest.fixture(scope="session")
def nquads(built) -> bytes:  # type: ignore[no-untyped-def]
    return Path(built.nquads).read_bytes()


def _loaded(kind: str, nquads: bytes) -> Store:
    from gcm_kg.store import open_store

    store = open_store(kind)
    store.replace_all(nquads)
    return store


@pytest.fixture(scope="session")
def oxigraph_store(nquads: bytes) -> Iterator[Store]:
    store = _loaded("oxigraph:", nquads)
    yield store
    store.close()


@pytest.fixture(scope="session")
def memory_store(nquads: bytes) -> Store:
    return _loaded("memory", nquads)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real Virtuoso on loopback with its own temporary database (slow tests only)."""
    from tests.integration.virtuoso import VirtuosoServer

    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_store(virtuoso, nquads: bytes) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    """RemoteStore over the Virtuoso fixture, loaded with the built graph."""
    from gcm_kg.store.remote import RemoteStore

    store = RemoteStore(virtuoso.url, graph_store_url=virtuoso.graph_store_url)
    store.replace_all(nquads)
    yield store
    store.close()


@pytest.fixture(
    params=["oxigraph", "memory", pytest.param("remote", marks=pytest.mark.slow)],
    scope="session",
)
def store(request: pytest.FixtureRequest, nquads: bytes) -> Store:
    """Each test using this runs once per backend (Virtuoso in the slow run)."""
    return request.getfixturevalue(f"{request.param}_store")  # type: ignore[no-any-return]


@pytest.fixture()
def app(settings: Settings, oxigraph_store: Store):  # type: ignore[no-untyped-def]
    return make_app(settings, oxigraph_store)


@pytest.fixture()
def web(settings: Settings, store: Store) -> Iterator[FlaskClient]:
    """A test client of the app on each backend (``store``)."""
    from tests.helpers import client_for

    yield from client_for(settings, store)


@pytest.fixture(scope="session")
def live_url(
    settings: Settings, oxigraph_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app over the built graph on a real waitress server on loopback, shared by the tests
    that only read through it (the browser tests); tests that write or need other settings
    start their own (``make_live_app``, ``LiveServer``)."""
    from tests.live_server import LiveServer

    app = make_live_app(settings, oxigraph_store, dump_dir=tmp_path_factory.mktemp("live-dumps"))
    server = LiveServer(app, threads=2)
    yield server.url
    server.close()
    close_app(app)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (slow tests only); each test opens its own
    context, so no cookie, storage or route leaks from one test to the next."""
    import shutil

    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists() or shutil.which("chromium"), (
        "Chromium is missing: apt-get install -y chromium"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def onto(settings: Settings) -> Graph:
    """The ontology as edited (``ontology/gcm.ttl``); tests only read it."""
    return Graph().parse(settings.ontology_file, format="turtle")


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()
