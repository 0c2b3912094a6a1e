"""Concurrent writes: each is wholly present or wholly absent, and conflicting ones are serialised.

The app runs over an on-disk Oxigraph store (the deployed configuration); several threads write
at once through the HTTP interface.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from gcm_kg import iris
from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from tests.curate.helpers import Curators, pledge_ttl
from tests.helpers import make_app

THREADS = 6
TTL = {"Content-Type": "text/turtle"}
G = "http://www.example/race/g"


@pytest.fixture()
def disk_store(nquads: bytes, tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    store.replace_all(nquads)
    yield store
    store.close()


@pytest.fixture()
def app(wsettings: Settings, disk_store: Store, curators: Curators):  # type: ignore[no-untyped-def]
    return make_app(wsettings, disk_store)


def together(n: int, job: Callable[[int], Any]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(job, range(n)))


def test_concurrent_submissions_are_each_whole(app, disk_store: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    per_thread = 3

    def job(t: int) -> list[tuple[str, str]]:
        client = app.test_client()
        done = []
        for i in range(per_thread):
            slug = f"race-{t}-{i}"
            resp = client.post(
                "/curate", data=pledge_ttl(slug), headers={**TTL, **curators.header(curators.ana)}
            )
            assert resp.status_code == 201, resp.get_data(as_text=True)
            done.append((slug, resp.headers["Location"]))
        return done

    results = [pair for batch in together(THREADS, job) for pair in batch]
    assert len({graph for _, graph in results}) == THREADS * per_thread
    for slug, graph in results:
        rows = disk_store.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{iris.pledge(slug)}> ?p ?o }} }} GROUP BY ?g"
        ).rows
        assert [(str(r["g"]), int(r["n"])) for r in rows] == [(graph, 6)]
        record = disk_store.query(
            f"""ASK {{ GRAPH <{iris.graph("submissions")}> {{ <{graph}>
            <https://w3id.org/gcm-kg/ontology#tripleCount> 6 }} }}"""
        )
        assert record.boolean


def test_conflicting_puts_are_serialised(app, disk_store: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    """Each PUT replaces the whole graph: the result is exactly one of the bodies, never a mix."""
    bodies = [
        "\n".join(
            f'<http://www.example/s{t}> <http://www.example/p> "{t}-{k}" .' for k in range(t + 1)
        )
        for t in range(THREADS)
    ]

    def job(t: int) -> int:
        client = app.test_client()
        resp = client.put(
            "/graphs",
            query_string={"graph": G},
            data=bodies[t],
            headers={**TTL, **curators.header(curators.ana)},
        )
        return resp.status_code

    statuses = together(THREADS, job)
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    rows = disk_store.query(f"SELECT ?s ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}").rows
    subjects = {str(r["s"]) for r in rows}
    assert len(subjects) == 1  # one body only
    t = int(subjects.pop().rsplit("s", 1)[1])
    assert len(rows) == t + 1
    count = disk_store.query(
        f"SELECT ?n WHERE {{ GRAPH <{iris.graph('submissions')}> {{ <{G}> <https://w3id.org/gcm-kg/ontology#tripleCount> ?n }} }}"
    ).rows
    assert [int(r["n"]) for r in count] == [t + 1]


def test_racing_curators_one_owns_the_graph(app, disk_store: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    tokens = [curators.ana, curators.bo] * (THREADS // 2)

    def job(t: int) -> int:
        resp = app.test_client().put(
            "/graphs",
            query_string={"graph": G},
            data=f'<http://www.example/s> <http://www.example/by> "{t % 2}" .',
            headers={**TTL, **curators.header(tokens[t])},
        )
        return resp.status_code

    statuses = together(THREADS, job)
    assert statuses.count(201) == 1
    winner = statuses.index(201) % 2
    assert all(s == (200 if t % 2 == winner else 403) for t, s in enumerate(statuses) if s != 201)
    [row] = disk_store.query(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}").rows
    assert str(row["o"]) == str(winner)


def test_concurrent_updates_lose_nothing(app, disk_store: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    """Each update is staged and applied under one lock: no update overwrites another's work."""
    n = 4

    def job(t: int) -> int:
        text = f'INSERT DATA {{ GRAPH <{G}> {{ <http://www.example/s> <http://www.example/n> "{t}" }} }}'
        resp = app.test_client().post(
            "/update",
            data=text,
            headers={"Content-Type": "application/sparql-update", **curators.header(curators.ana)},
        )
        return resp.status_code

    assert together(n, job) == [200] * n
    rows = disk_store.query(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}").rows
    assert sorted(str(r["o"]) for r in rows) == [str(t) for t in range(n)]
