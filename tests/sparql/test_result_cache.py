"""The result cache: keyed by store version, so it never serves an answer older than a write."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from gcm_kg.config import Settings
from gcm_kg.sparql.cache import ResultCache
from gcm_kg.sparql.execute import Executor
from gcm_kg.sparql.jobs import Wanted
from gcm_kg.sparql.pool import Answer
from gcm_kg.store import Store, open_store
from tests.helpers import make_app

JSON = Wanted("json", "json", "turtle")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def answer(body: bytes) -> Answer:
    return Answer(body, "application/sparql-results+json", "SELECT", False)


def test_hit_for_the_same_version() -> None:
    cache = ResultCache(1000)
    assert cache.get("v1", "q") is None
    cache.put("v1", "q", answer(b"x"))
    assert cache.get("v1", "q") == answer(b"x")
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_new_version_empties_the_cache() -> None:
    cache = ResultCache(1000)
    cache.get("v1", "q")
    cache.put("v1", "q", answer(b"x"))
    assert cache.get("v2", "q") is None
    assert len(cache) == 0


def test_an_answer_computed_across_a_write_is_not_kept() -> None:
    cache = ResultCache(1000)
    cache.get("v1", "q")  # the run starts at v1 …
    cache.get("v2", "other")  # … a write happens and another request sees v2 …
    cache.put("v1", "q", answer(b"old"))  # … the v1 answer arrives late
    assert cache.get("v2", "q") is None


def test_bounded_in_bytes_least_recent_first() -> None:
    cache = ResultCache(45)
    cache.get("v", "a")
    for key in "abcd":
        cache.put("v", key, answer(b"0123456789"))
    cache.get("v", "a")  # a is now the most recent
    cache.put("v", "e", answer(b"0123456789"))
    assert cache.get("v", "b") is None
    assert all(cache.get("v", k) is not None for k in "acde")


def test_answers_bigger_than_a_quarter_are_not_kept() -> None:
    cache = ResultCache(40)
    cache.get("v", "big")
    cache.put("v", "big", answer(b"x" * 11))
    assert cache.get("v", "big") is None


def test_zero_megabytes_disables_it() -> None:
    cache = ResultCache(0)
    cache.get("v", "q")
    cache.put("v", "q", answer(b"x"))
    assert cache.get("v", "q") is None


@pytest.fixture(params=["oxigraph:", "memory"])
def fresh(request: pytest.FixtureRequest, nquads: bytes) -> Store:
    store = open_store(request.param)
    store.replace_all(nquads)
    return store


def count(ex: Executor) -> int:
    body = ex.run(ex.job(COUNT, wanted=JSON)).body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_never_stale_after_a_write(settings: Settings, fresh: Store) -> None:
    ex = Executor(replace(settings, query_processes=0), fresh)
    before = count(ex)
    assert count(ex) == before and ex.cache.hits == 1
    fresh.update("INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> 1 } }")
    assert count(ex) == before + 1
    fresh.update("DELETE DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> 1 } }")
    assert count(ex) == before


# -- whole replies to repeated requests ---------------------------------------------------------
SPARQL_COUNT = (
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
)
LOOKUP = "/queries/cq01-round-table-objectives?roundTable=2"
ACCEPT = {"Accept": "application/sparql-results+json"}


@pytest.fixture()
def client(settings: Settings, fresh: Store):  # type: ignore[no-untyped-def]

    return make_app(settings, fresh, query_processes=0, rate_limit=0).test_client()


def _n(resp) -> int:  # type: ignore[no-untyped-def]
    return int(json.loads(resp.data)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("path", [SPARQL_COUNT, LOOKUP])
def test_a_repeated_request_is_answered_without_running_the_query(
    client, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.web.app import executor

    first = client.get(path, headers=ACCEPT)
    ex = executor(client.application)

    def refuse(*args: object) -> None:
        raise AssertionError("the query was run (or checked) again")

    monkeypatch.setattr(ex, "run", refuse)
    monkeypatch.setattr(ex, "check", refuse)
    again = client.get(path, headers=ACCEPT)
    assert (again.status_code, again.data, again.headers["ETag"]) == (
        200,
        first.data,
        first.headers["ETag"],
    )
    assert again.headers["Access-Control-Allow-Origin"] == "*"  # still through the app's hooks


def test_a_kept_reply_is_never_served_after_a_write(client, fresh: Store) -> None:  # type: ignore[no-untyped-def]
    before = _n(client.get(SPARQL_COUNT, headers=ACCEPT))
    assert _n(client.get(SPARQL_COUNT, headers=ACCEPT)) == before
    fresh.update("INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> 1 } }")
    assert _n(client.get(SPARQL_COUNT, headers=ACCEPT)) == before + 1


def test_a_kept_reply_still_answers_304_to_its_etag(client) -> None:  # type: ignore[no-untyped-def]
    etag = client.get(LOOKUP, headers=ACCEPT).headers["ETag"]
    client.get(LOOKUP, headers=ACCEPT)
    held = client.get(LOOKUP, headers=ACCEPT | {"If-None-Match": etag})
    assert held.status_code == 304 and held.data == b""


def test_another_accept_header_is_another_reply(client) -> None:  # type: ignore[no-untyped-def]
    client.get(LOOKUP, headers=ACCEPT)
    csv = client.get(LOOKUP, headers={"Accept": "text/csv"})
    assert csv.status_code == 200 and csv.content_type.startswith("text/csv")


@pytest.mark.parametrize("path", [SPARQL_COUNT, LOOKUP])
def test_server_timing_says_what_the_engine_took_or_that_none_ran(client, path: str) -> None:  # type: ignore[no-untyped-def]
    first = client.get(path, headers=ACCEPT).headers["Server-Timing"]
    assert re.fullmatch(r"query;dur=\d+\.\d{3}", first) and float(first.split("=")[1]) > 0
    assert client.get(path, headers=ACCEPT).headers["Server-Timing"] == "cache;desc=hit"


def test_an_answer_from_the_result_cache_ran_no_engine(client) -> None:  # type: ignore[no-untyped-def]
    client.get(LOOKUP, headers=ACCEPT)  # cached as an answer and as a kept reply
    other_order = client.get(LOOKUP + "&", headers=ACCEPT)  # another request, the same job
    assert other_order.headers["Server-Timing"] == "cache;desc=hit"


def test_a_kept_reply_is_the_first_reply_again(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get(LOOKUP, headers=ACCEPT)
    again = client.get(LOOKUP, headers=ACCEPT)
    same = {k: v for k, v in first.headers.items() if k != "Server-Timing"}
    assert {k: v for k, v in again.headers.items() if k != "Server-Timing"} == same
    assert again.data == first.data


def test_head_of_a_kept_reply_has_its_headers_and_no_body(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get(LOOKUP, headers=ACCEPT)
    head = client.head(LOOKUP, headers=ACCEPT)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == first.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(first.data))


def test_an_error_is_never_kept(client) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.web.app import executor

    bad = "/sparql?query=SELECT%20WHERE%20%7B"
    assert client.get(bad, headers=ACCEPT).status_code == 400
    assert client.get(bad, headers=ACCEPT).status_code == 400
    assert len(executor(client.application).cache) == 0


def test_kept_replies_count_against_the_rate_limit(settings: Settings, fresh: Store) -> None:

    client = make_app(settings, fresh, query_processes=0, rate_limit=1, rate_burst=3).test_client()
    statuses = [client.get(LOOKUP, headers=ACCEPT).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the first ran the query, two came from the reply
    refused = client.get(LOOKUP, headers=ACCEPT)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
