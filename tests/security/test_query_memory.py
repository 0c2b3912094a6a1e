"""A query that needs more memory than a worker may have is stopped with a 503 that says so,
long before the time limit; the pool serves on. (A cartesian ORDER BY grows its worker by about
300 MB a second: at the 10 s time limit alone it would hold over 3 GB.)"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError
from gcm_kg.sparql.pool import answer_of
from gcm_kg.web.app import executor
from tests.security.cases import MEMORY_HOG
from tests.security.served import disk_store, production_app

LOOKUP = "ASK { <https://w3id.org/gcm-kg/id/objective/20> ?p ?o }"


@pytest.fixture()
def app(settings: Settings, nquads: bytes, tmp_path: Path) -> Iterator[Flask]:
    store = disk_store(nquads, tmp_path)
    application = production_app(settings, store, query_timeout=30.0, query_memory_mb=300)
    yield application
    executor(application).close()
    store.close()


def ask(app: Flask, query: str):  # type: ignore[no-untyped-def]
    return app.test_client().get(
        "/sparql?query=" + quote(query), headers={"Accept": "application/json"}
    )


def test_a_query_over_the_memory_limit_gets_503(app: Flask) -> None:
    assert ask(app, LOOKUP).status_code == 200  # workers start and answer under the limit
    start = time.monotonic()
    resp = ask(app, MEMORY_HOG)
    assert resp.status_code == 503
    body = json.loads(resp.data)
    assert body["title"] == "Query memory limit reached"
    assert "300 MB memory limit" in body["detail"]
    assert time.monotonic() - start < 30.0  # stopped by memory, not by the time limit
    assert ask(app, LOOKUP).status_code == 200


def test_the_limit_holds_for_queries_on_an_in_memory_copy(app: Flask) -> None:
    pool = executor(app).pool
    assert pool is not None and pool.preload(timeout=30)  # the copy is counted, then 300 MB more
    resp = ask(app, MEMORY_HOG)
    assert resp.status_code == 503
    assert json.loads(resp.data)["title"] == "Query memory limit reached"
    assert ask(app, LOOKUP).status_code == 200


def test_a_worker_fault_is_a_500_that_shows_nothing() -> None:
    with pytest.raises(GcmKgError) as info:
        answer_of({"ok": False, "kind": "error", "message": "AttributeError: 'Triple' object"})
    assert info.value.status == 500
