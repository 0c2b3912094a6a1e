"""The time limit over HTTP on the default store (on-disk Oxigraph, killable query workers).

A runaway query gets a 503 that says the limit within the limit plus one second, other clients
are served meanwhile, and the workers recover.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.errors import StoreError
from gcm_kg.store.oxigraph import OxigraphStore
from gcm_kg.web.app import executor
from tests.helpers import close_app, make_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUP = (
    "SELECT ?t WHERE { <https://w3id.org/gcm-kg/id/objective/20> "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?t }"
)
LIMIT = 1.0


@pytest.fixture()
def disk_store(nquads: bytes, tmp_path: Path) -> OxigraphStore:
    store = OxigraphStore(tmp_path / "store")
    store.replace_all(nquads)
    return store


@pytest.fixture()
def app(settings: Settings, disk_store: OxigraphStore) -> Iterator[Flask]:
    application = make_app(settings, disk_store, query_timeout=LIMIT, query_processes=2)
    yield application
    close_app(application)


def ask(app: Flask, query: str, client: str = "127.0.0.1", **params: str):  # type: ignore[no-untyped-def]
    """GET /sparql from ``client`` (an address: one query in progress each)."""
    qs = "query=" + quote(query) + "".join(f"&{k}={v}" for k, v in params.items())
    return app.test_client().get("/sparql?" + qs, environ_base={"REMOTE_ADDR": client})


def test_queries_run_in_worker_processes(app: Flask) -> None:
    resp = ask(app, LOOKUP)
    assert resp.status_code == 200
    assert executor(app).pool is not None


def test_runaway_query_gets_503_within_the_limit(app: Flask) -> None:
    start = time.monotonic()
    resp = ask(app, RUNAWAY)
    elapsed = time.monotonic() - start
    assert resp.status_code == 503
    assert "1 s limit" in json.loads(resp.data)["detail"]
    assert elapsed < LIMIT + 1.0


def test_a_client_may_ask_for_a_shorter_limit(app: Flask) -> None:
    start = time.monotonic()
    resp = ask(app, RUNAWAY, timeout="0.3")
    assert resp.status_code == 503 and "0.3 s limit" in json.loads(resp.data)["detail"]
    assert time.monotonic() - start < 0.3 + 1.0


def test_other_clients_are_served_meanwhile(app: Flask) -> None:
    ask(app, LOOKUP)  # workers warm
    statuses: list[int] = []
    over = threading.Event()

    def run_away() -> None:
        statuses.append(ask(app, RUNAWAY).status_code)
        over.set()

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.2)
    assert ask(app, LOOKUP + " # another client", client="10.0.0.2").status_code == 200
    # answered while the runaway still ran (not queued behind it): an order, not a stopwatch
    assert not over.is_set(), "the lookup waited for the runaway's time limit"
    runaway.join()
    assert statuses == [503]


def test_workers_recover_after_a_kill(app: Flask) -> None:
    assert ask(app, RUNAWAY).status_code == 503
    assert ask(app, LOOKUP).status_code == 200


def test_a_write_is_seen_through_workers_and_cache(app: Flask, disk_store: OxigraphStore) -> None:
    q = "ASK { <urn:test:s> ?p ?o }"
    assert json.loads(ask(app, q).data)["boolean"] is False
    disk_store.update("INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> 1 } }")
    assert json.loads(ask(app, q).data)["boolean"] is True


def test_an_engine_crash_costs_only_that_query(app: Flask) -> None:
    """Past the guard (called directly), a parser segfault kills one worker, not the server."""
    pool = executor(app).pool
    assert pool is not None
    crash = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    with pytest.raises(StoreError, match="worker died"):
        pool.execute(crash, media_types={"results": "application/sparql-results+json"})
    assert ask(app, LOOKUP).status_code == 200
