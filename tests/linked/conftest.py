"""Fixtures of the linked-data tests: an app over the built graph, and one over a small
fixture graph whose pledges name objectives, statuses and SDG targets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gcm_kg.config import Settings
from gcm_kg.store import Store
from tests.helpers import make_app
from tests.linked.helpers import FIXTURE, client_of


@pytest.fixture(scope="session")
def linked_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return replace(settings, dump_dir=tmp_path_factory.mktemp("dumps"))


@pytest.fixture()
def linked_app(linked_settings: Settings, oxigraph_store: Store):  # type: ignore[no-untyped-def]

    return make_app(linked_settings, oxigraph_store)


@pytest.fixture()
def ld(linked_app):  # type: ignore[no-untyped-def]
    """A test client of the app over the built graph."""
    return linked_app.test_client()


@pytest.fixture(scope="session")
def fixture_store() -> Store:
    from gcm_kg.store import open_store

    store = open_store("memory")
    store.load(FIXTURE.read_bytes(), "application/trig")
    return store


@pytest.fixture()
def fixture_client(linked_settings: Settings, fixture_store: Store):  # type: ignore[no-untyped-def]
    """A test client of an app over the small pledge fixture (memory store)."""
    return client_of(linked_settings, fixture_store)


@pytest.fixture()
def api_schema(linked_app):  # type: ignore[no-untyped-def]
    """The app's own OpenAPI description, loaded by schemathesis from the WSGI app."""
    import schemathesis

    return schemathesis.openapi.from_wsgi("/openapi.json", linked_app)
