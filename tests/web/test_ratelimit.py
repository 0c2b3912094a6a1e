"""Per-client rate limit: bursts allowed, then 429 with Retry-After; other clients unaffected."""

from __future__ import annotations

from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.web.ratelimit import TokenBuckets
from tests.helpers import make_app


def test_bucket_allows_a_burst_then_waits() -> None:
    b = TokenBuckets(per_minute=60, burst=3)
    assert [b.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert b.take("a", now=0.0) == 1.0
    assert b.take("a", now=1.0) == 0.0


def test_clients_have_their_own_buckets() -> None:
    b = TokenBuckets(per_minute=60, burst=1)
    assert b.take("a", now=0.0) == 0.0
    assert b.take("b", now=0.0) == 0.0


def _app(settings: Settings, store: Store) -> Flask:
    app = make_app(settings, store, rate_limit=60, rate_burst=2)

    @app.get("/ping")
    def ping() -> str:
        return "pong"

    return app


def test_429_with_retry_after(settings: Settings, oxigraph_store: Store) -> None:
    client = _app(settings, oxigraph_store).test_client()
    assert [client.get("/ping").status_code for _ in range(2)] == [200, 200]
    r = client.get("/ping", headers={"Accept": "application/json"})
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "1"
    assert r.get_json()["title"] == "Too many requests"


def test_another_address_is_still_served(settings: Settings, oxigraph_store: Store) -> None:
    client = _app(settings, oxigraph_store).test_client()
    for _ in range(3):
        client.get("/ping")
    r = client.get("/ping", environ_base={"REMOTE_ADDR": "127.0.0.2"})
    assert r.status_code == 200
