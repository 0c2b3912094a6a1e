"""Runaway queries do not stall the site: a query that would wait for busy workers is refused
at once (503 + Retry-After), one client has one query in progress (429), and kept answers,
resource pages and lookups are served meanwhile. The Graph Store's GET is under the same
limits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.sparql.admission import Admission, ClientBusy, ServerBusy
from gcm_kg.web.app import executor
from tests.security.hostile import leaks, snapshot
from tests.security.served import LIMIT, Served, disk_store, production_app

JSON = {"Accept": "application/json"}
RUNAWAY = (
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i))) < 0) } ORDER BY ?i ?f ?c"
)
LOOKUP = "ASK { <https://w3id.org/gcm-kg/id/objective/20> ?p ?o }"


# -- the admission rule itself


def test_a_query_past_the_slots_and_the_queue_is_refused_at_once() -> None:
    gate = Admission(slots=1, queue=0, wait=5.0, per_client=0)
    with gate.enter("a"):
        start = time.monotonic()
        with pytest.raises(ServerBusy) as refused, gate.enter("b"):
            pass
        assert time.monotonic() - start < 0.5
    assert refused.value.status == 503 and refused.value.headers["Retry-After"] == "1"


def test_a_waiting_query_gets_the_slot_when_it_frees() -> None:
    gate = Admission(slots=1, queue=1, wait=30.0, per_client=0)
    holding, admitted = threading.Event(), threading.Event()
    release = threading.Event()

    def hold() -> None:
        with gate.enter("a"):
            holding.set()
            release.wait(30)

    def wait_for_slot() -> None:
        with gate.enter("b"):
            admitted.set()

    first = threading.Thread(target=hold)
    first.start()
    assert holding.wait(30)
    second = threading.Thread(target=wait_for_slot)
    second.start()
    assert not admitted.wait(0.2)  # it waits while the slot is held
    release.set()
    assert admitted.wait(30)
    first.join(), second.join()


def test_a_client_with_a_query_in_progress_is_told_to_wait() -> None:
    gate = Admission(slots=4, queue=0, wait=0.0, per_client=1)
    with gate.enter("a"), pytest.raises(ClientBusy) as refused, gate.enter("a"):
        pass
    assert refused.value.status == 429 and "Retry-After" in refused.value.headers
    with gate.enter("a"):  # released: admitted again
        pass


# -- the app while runaways hold every worker


@pytest.fixture(scope="module")
def busy_app(
    settings: Settings, nquads: bytes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    store = disk_store(nquads, tmp_path_factory.mktemp("admission"))
    app = production_app(settings, store, query_queue=0, result_max_bytes=20_000)
    yield Served(app, store, "oxigraph")
    executor(app).close()
    store.close()


def _get(app: Flask, path: str, client: str = "10.0.0.9", headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return app.test_client().get(
        path, headers=headers or JSON, environ_base={"REMOTE_ADDR": client}
    )


class Runaways:
    """Two clients each running the runaway query: every worker busy for the time limit."""

    def __init__(self, app: Flask) -> None:
        self.statuses: list[int] = []
        self.threads = [
            threading.Thread(target=self._run, args=(app, f"10.0.1.{i}")) for i in range(2)
        ]
        for t in self.threads:
            t.start()
        gate = executor(app).admission
        deadline = time.monotonic() + 10
        while gate.running < 2 and time.monotonic() < deadline:  # both admitted
            time.sleep(0.01)
        assert gate.running == 2

    def _run(self, app: Flask, client: str) -> None:
        self.statuses.append(_get(app, "/sparql?query=" + quote(RUNAWAY), client).status_code)

    def join(self) -> list[int]:
        for t in self.threads:
            t.join(timeout=LIMIT + 30)
        return self.statuses


def test_while_runaways_run_queries_are_refused_and_everything_else_is_served(
    busy_app: Served,
) -> None:
    app = busy_app.app
    before = snapshot(busy_app.store)
    cached_path = "/sparql?query=" + quote(LOOKUP)
    assert _get(app, cached_path).status_code == 200  # now a kept answer
    runaways = Runaways(app)
    try:
        start = time.monotonic()
        refused = _get(app, "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 7"))
        assert time.monotonic() - start < 1.0
        body = refused.get_data(as_text=True)
        assert refused.status_code == 503, body[:300]
        assert refused.headers["Retry-After"] == "1"
        assert "busy" in body and not leaks(body)
        start = time.monotonic()
        assert _get(app, cached_path).status_code == 200
        page = _get(app, "/id/objective/20", headers={"Accept": "application/ld+json"})
        assert page.status_code == 200
        assert time.monotonic() - start < 1.0
        graph = _get(app, "/graphs?default", headers={"Accept": "text/turtle"})
        assert graph.status_code == 503  # the whole store is read by the engine, not here
    finally:
        assert runaways.join() == [503, 503]  # each stopped at the time limit
    assert snapshot(busy_app.store) == before


def test_one_client_has_one_query_in_progress(busy_app: Served) -> None:
    app = busy_app.app
    done: list[int] = []
    thread = threading.Thread(
        target=lambda: done.append(
            _get(app, "/sparql?query=" + quote(RUNAWAY), "10.0.2.1").status_code
        )
    )
    thread.start()
    gate = executor(app).admission
    deadline = time.monotonic() + 10
    while gate.running < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    second = _get(app, "/sparql?query=" + quote("ASK { ?s ?p 12345 }"), "10.0.2.1")
    thread.join(timeout=LIMIT + 30)
    body = second.get_data(as_text=True)
    assert second.status_code == 429, body[:300]
    assert "Retry-After" in second.headers and "in progress" in body
    assert done == [503]


def test_the_default_graph_is_cut_at_the_byte_limit(busy_app: Served) -> None:
    resp = _get(busy_app.app, "/graphs?default", headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert len(resp.get_data()) <= 20_000
    assert resp.headers["Results-Truncated"] == "true"
    assert resp.headers["Results-Byte-Limit"] == "20000"


def test_a_named_graph_keeps_its_name_in_trig(busy_app: Served) -> None:
    import pyoxigraph as ox

    graph = "https://w3id.org/gcm-kg/id/graph/ontology"
    resp = _get(
        busy_app.app,
        "/graphs?graph=" + quote(graph, safe=""),
        headers={"Accept": "application/trig"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    names = {q.graph_name.value for q in ox.parse(resp.get_data(), format=ox.RdfFormat.TRIG)}
    assert names == {graph}
