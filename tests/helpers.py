"""Helpers shared by test modules (fixtures live in conftest.py; test modules import no other
test module's helpers)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from flask import Flask
from flask.testing import FlaskClient

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.web import create_app
from gcm_kg.web.app import EXECUTOR

#: the small RDF fixtures (tests/data)
FIXTURES = Path(__file__).resolve().parent / "data"
#: the Accept header browsers send for a page
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: Debian's Chromium, which the browser tests drive with Playwright (no browser download)
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def make_live_app(settings: Settings, store: Store | None = None, **overrides: object) -> Flask:
    """The app ``gcm-kg serve`` builds, on ``store`` (opened from the settings when None) with
    ``overrides`` of the settings, as a server runs it: not in Flask's testing mode, so an
    error inside a request is answered as the deployment answers it instead of propagating into
    the server thread. For the tests behind a real socket (``LiveServer``)."""
    return create_app(replace(settings, **overrides), store=store)  # type: ignore[arg-type]


def turtle_triples(text: str) -> list[ox.Triple]:
    """Turtle as pyoxigraph triples: the form a write takes (``writes.submissions.submit``)."""
    return [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]


def make_app(settings: Settings, store: Store | None = None, **overrides: object) -> Flask:
    """The one app factory of the tests: ``make_live_app``'s app in Flask's testing mode, for
    the test client. Whoever starts its query workers closes them (``close_app``)."""
    app = make_live_app(settings, store, **overrides)
    app.config["TESTING"] = True
    return app


def close_app(app: Flask) -> None:
    """End the app's query executor and its worker processes, if it started them."""
    ex = app.extensions.get(EXECUTOR)
    if ex is not None:
        ex.close()


def client_for(settings: Settings, store: Store, **overrides: object) -> Iterator[FlaskClient]:
    """A test client of an app on ``store`` with ``overrides`` of the settings; the app's query
    executor (and its worker processes) closed after."""
    app = make_app(settings, store, **overrides)
    yield app.test_client()
    close_app(app)


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
