"""Hard time limits: a runaway query is stopped, other clients are served meanwhile."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gcm_kg.errors import QuerySyntaxError, QueryTimeout
from gcm_kg.sparql.pool import WorkerPool
from gcm_kg.store.oxigraph import OxigraphStore

JSON = {"results": "application/sparql-results+json", "graph": "text/turtle"}
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
LOOKUP = "SELECT ?t WHERE { <https://w3id.org/gcm-kg/id/objective/20> <http://purl.org/dc/terms/title> ?t }"


@pytest.fixture()
def store(nquads: bytes, tmp_path: Path) -> OxigraphStore:
    s = OxigraphStore(tmp_path / "store")
    s.replace_all(nquads)
    return s


@pytest.fixture()
def executor(store: OxigraphStore, tmp_path: Path) -> Iterator[WorkerPool]:
    ex = WorkerPool(store, size=2, timeout=1.0, workdir=tmp_path / "work")
    yield ex
    ex.close()


def rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_answers_like_the_store(executor: WorkerPool) -> None:
    answer = executor.execute(LOOKUP, media_types=JSON)
    assert answer.form == "SELECT" and answer.media_type == JSON["results"]
    assert answer.elapsed_ms is not None and answer.elapsed_ms > 0  # timed in the worker
    assert rows(answer.body)[0]["t"]["value"].startswith("Promote faster, safer and cheaper")


def test_runaway_query_is_stopped_within_the_limit(executor: WorkerPool) -> None:
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="1 s limit"):
        executor.execute(RUNAWAY, media_types=JSON)
    assert time.monotonic() - start < 2.0


def test_other_clients_are_served_meanwhile(executor: WorkerPool) -> None:
    outcome: list[type[BaseException]] = []
    over = threading.Event()

    def run_away() -> None:
        try:
            executor.execute(RUNAWAY, media_types=JSON)
        except QueryTimeout as exc:
            outcome.append(type(exc))
        finally:
            over.set()

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.2)
    executor.execute(LOOKUP, media_types=JSON)
    # answered while the runaway still ran (not queued behind it): an order, not a stopwatch
    assert not over.is_set(), "the lookup waited for the runaway's time limit"
    runaway.join()
    assert outcome == [QueryTimeout]


def test_the_pool_recovers_after_a_kill(executor: WorkerPool) -> None:
    with pytest.raises(QueryTimeout):
        executor.execute(RUNAWAY, media_types=JSON)
    assert rows(executor.execute(LOOKUP, media_types=JSON).body)


def test_a_write_is_seen_by_the_next_query(executor: WorkerPool, store: OxigraphStore) -> None:
    ask = "ASK { <https://example.org/s> ?p ?o }"
    assert executor.execute(ask, media_types=JSON).body == b'{"head": {}, "boolean": false}'
    store.update(
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }"
    )
    assert executor.execute(ask, media_types=JSON).body == b'{"head": {}, "boolean": true}'


def test_result_limit_cuts_and_says_so(executor: WorkerPool) -> None:
    answer = executor.execute("SELECT ?s WHERE { ?s a ?c }", media_types=JSON, limit=5)
    assert answer.truncated and len(rows(answer.body)) == 5


def test_syntax_errors_keep_their_message(executor: WorkerPool) -> None:
    with pytest.raises(QuerySyntaxError, match="error at"):
        executor.execute("SELECT WHERE {", media_types=JSON)


def test_construct_is_serialized_natively(executor: WorkerPool) -> None:
    q = "CONSTRUCT { ?o <http://purl.org/dc/terms/title> ?t } WHERE { ?o <https://w3id.org/gcm-kg/ontology#objectiveNumber> 20 ; <http://purl.org/dc/terms/title> ?t }"
    answer = executor.execute(q, media_types=JSON)
    assert answer.media_type == "text/turtle"
    assert b"<https://w3id.org/gcm-kg/id/objective/20>" in answer.body


@pytest.fixture()
def copying(store: OxigraphStore, tmp_path: Path) -> Iterator[WorkerPool]:
    ex = WorkerPool(store, size=2, timeout=5.0, workdir=tmp_path / "work", copy_mb=64)
    yield ex
    ex.close()


def test_workers_answer_from_an_in_memory_copy_once_loaded(copying: WorkerPool) -> None:
    assert copying.preload(timeout=30)
    answer = copying.execute(LOOKUP, media_types=JSON)
    assert answer.source == "copy"
    assert rows(answer.body)[0]["t"]["value"].startswith("Promote faster, safer and cheaper")


def test_a_write_is_seen_at_once_with_copies(copying: WorkerPool, store: OxigraphStore) -> None:
    ask = "ASK { <https://example.org/s> ?p ?o }"
    assert copying.preload(timeout=30)
    store.update(
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }"
    )
    answer = copying.execute(ask, media_types=JSON)  # the new version's copy may not be loaded
    assert answer.body == b'{"head": {}, "boolean": true}'
    assert copying.preload(timeout=30)
    answer = copying.execute(ask, media_types=JSON)
    assert (answer.source, answer.body) == ("copy", b'{"head": {}, "boolean": true}')


@pytest.mark.parametrize("copy_mb", [0, 1], ids=["copies off", "store over the limit"])
def test_without_a_copy_workers_read_the_checkpoint(
    store: OxigraphStore, tmp_path: Path, copy_mb: int
) -> None:
    ex = WorkerPool(store, size=1, timeout=5.0, workdir=tmp_path / "work", copy_mb=copy_mb)
    try:
        assert not ex.preload(timeout=1)
        assert ex.execute(LOOKUP, media_types=JSON).source == "checkpoint"
    finally:
        ex.close()


def test_a_copy_keeps_the_blank_node_labels_of_the_checkpoint(
    copying: WorkerPool, store: OxigraphStore
) -> None:
    store.update("INSERT DATA { GRAPH <https://example.org/g> { _:b <https://example.org/p> 1 } }")
    ask = "SELECT ?b WHERE { ?b <https://example.org/p> 1 }"
    disk = WorkerPool(store, size=1, timeout=5.0, workdir=copying.workdir.with_name("disk"))
    try:
        from_disk = disk.execute(ask, media_types=JSON)
    finally:
        disk.close()
    assert copying.preload(timeout=30)
    from_memory = copying.execute(ask, media_types=JSON)
    assert (from_disk.source, from_memory.source) == ("checkpoint", "copy")
    assert rows(from_memory.body) == rows(from_disk.body)
    assert rows(from_memory.body)[0]["b"]["type"] == "bnode"


def test_a_worker_replacing_a_killed_one_answers_from_memory_at_once(
    store: OxigraphStore, tmp_path: Path
) -> None:
    """No retry loop: the replacement loads the copy before it takes a query, so the query
    after a kill is not sent to a cold worker reading the slower checkpoint."""
    ex = WorkerPool(store, size=1, timeout=3.0, workdir=tmp_path / "work", copy_mb=64)
    try:
        assert ex.preload(timeout=30)
        with pytest.raises(QueryTimeout):
            ex.execute(RUNAWAY, media_types=JSON, timeout=0.5)
        answer = ex.execute(LOOKUP, media_types=JSON)  # waits for the warm replacement
        assert answer.source == "copy"
    finally:
        ex.close()
