"""/stats and the counting named queries answer from the maintained tables: the same answer as
their SPARQL, a version's ETag, and the new numbers as soon as a curator write returns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gcm_kg.config import Settings
from gcm_kg.sparql import named
from gcm_kg.sparql.execute import Executor
from gcm_kg.store.oxigraph import OxigraphStore
from gcm_kg.writes import submissions
from tests.helpers import turtle_triples
from tests.linked.helpers import client_of

PLEDGE = """
@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
<https://w3id.org/gcm-kg/id/pledge/stats-test> a gcm:Pledge ;
    gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/mex> ;
    gcm:supportsObjective <https://w3id.org/gcm-kg/id/objective/2> .
"""


class Conforms:
    conforms = True

    def warnings(self) -> list[str]:
        return []

    def to_json(self) -> dict[str, object]:
        return {"conforms": True}


@pytest.fixture()
def store(nquads: bytes) -> OxigraphStore:
    s = OxigraphStore()
    s.replace_all(nquads)
    return s


@pytest.fixture()
def client(linked_settings: Settings, store: OxigraphStore):  # type: ignore[no-untyped-def]
    return client_of(linked_settings, store)


def submit(store: OxigraphStore, tmp_path: Path) -> None:
    submissions.submit(
        store,
        turtle_triples(PLEDGE),
        curator="ana",
        validator=lambda g, s: Conforms(),
        audit_log=tmp_path / "audit.log",
    )


def objective_2(page: str) -> int:
    section = page[page.index('id="pledges-per-objective"') :]
    m = re.search(r'href="/id/objective/2">2\.[^<]*</a></th><td>(\d+)<', section)
    assert m is not None
    return int(m.group(1))


def test_a_counting_query_answers_from_its_table_as_its_sparql_would(
    client, store: OxigraphStore, linked_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    q = named.get(linked_settings.queries_dir, "cq06-pledges-per-actor-type")
    expected = [{k: str(v) for k, v in row.items()} for row in store.query(q.sparql).rows]

    def no_engine(self: Executor, job: object) -> None:
        raise AssertionError("the engine ran")

    monkeypatch.setattr(Executor, "_execute", no_engine)
    resp = client.get(f"/queries/{q.name}", headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200
    bindings = json.loads(resp.data)["results"]["bindings"]
    assert [{k: v["value"] for k, v in b.items()} for b in bindings] == expected


def test_stats_is_tagged_with_the_store_version_and_answers_304(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/stats")
    again = client.get("/stats")
    assert first.status_code == again.status_code == 200
    assert first.headers["ETag"] == again.headers["ETag"]
    held = client.get("/stats", headers={"If-None-Match": first.headers["ETag"]})
    assert held.status_code == 304


def test_stats_shows_a_submission_as_soon_as_it_is_stored(
    client, store: OxigraphStore, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before = client.get("/stats")
    submit(store, tmp_path)
    after = client.get("/stats")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert (
        objective_2(after.get_data(as_text=True)) == objective_2(before.get_data(as_text=True)) + 1
    )
