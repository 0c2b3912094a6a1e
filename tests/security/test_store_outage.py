"""The remote triple store (``GCM_KG_STORE=sparql:URL``, a real Virtuoso) stops while clients
are being served: they get 503 with a message naming the store, never a 500 or a hang; when the
store returns, the same app serves again without a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bench import loadgen
from gcm_kg.config import Settings
from gcm_kg.store.remote import RemoteStore
from tests.helpers import make_live_app
from tests.integration.virtuoso import VirtuosoServer
from tests.security.hostile import fetch, leaks
from tests.security.served import Server

pytestmark = pytest.mark.slow

PROBES = [
    ("/queries/cq01-round-table-objectives?roundTable=2", "application/sparql-results+json"),
    ("/id/objective/20", "application/ld+json"),
    ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "application/sparql-results+json"),
]


@pytest.fixture()
def virtuoso(tmp_path: Path, nquads: bytes) -> Iterator[VirtuosoServer]:
    """A Virtuoso of this test's own, loaded with the built graph: the test stops and starts it."""
    server = VirtuosoServer(tmp_path / "virtuoso")
    server.start()
    loader = RemoteStore(server.url, graph_store_url=server.graph_store_url)
    loader.replace_all(nquads)
    loader.close()
    yield server
    server.stop()


@pytest.fixture()
def served(settings: Settings, virtuoso: VirtuosoServer) -> Iterator[str]:
    """The app opens the store from its setting, as ``GCM_KG_STORE=sparql:URL`` makes it."""
    chosen = replace(settings, store=f"sparql:{virtuoso.url}")
    app = make_live_app(chosen)
    server = Server(app, chosen)
    yield server.url
    server.close()
    app.extensions["gcm_kg"].store.close()


def _until_served(url: str, limit: float) -> float:
    """Seconds until every probe is answered 200 again."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if all(fetch(url, p, headers={"Accept": a}).status_code == 200 for p, a in PROBES):
            return time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"not served again within {limit} s")


def test_store_stopped_mid_run_then_back(served: str, virtuoso: VirtuosoServer) -> None:
    mix = loadgen.request_mix(served, resources=30)
    assert loadgen.run(served, mix, clients=4, seconds=2.0).errors == []

    during: list[loadgen.Result] = []
    load = threading.Thread(
        target=lambda: during.append(loadgen.run(served, mix, clients=4, seconds=4.0))
    )
    load.start()
    time.sleep(1.0)
    virtuoso.stop()
    # answers cached for the store version already read may be served for up to the version's
    # time to live (1 s), then the store is asked and found gone
    time.sleep(1.2)
    for path, accept in PROBES:
        resp = fetch(served, path, headers={"Accept": accept})
        body = resp.get_data(as_text=True)
        assert resp.status_code == 503, body
        assert f"triple store at {virtuoso.url} is unavailable" in body
        assert not leaks(body.replace(virtuoso.url, ""))
    load.join()
    statuses = during[0].statuses
    assert statuses[503] > 0  # the outage was seen mid-run
    assert set(statuses) <= {200, 503}  # and only as 503: no 500, no dropped connection

    virtuoso.start()
    _until_served(served, 30.0)
    after = loadgen.run(served, mix, clients=4, seconds=2.0)
    assert after.errors == [] and after.requests > 0
