"""Fixtures of the curator-write tests: a fresh store per test, curator tokens, an app over them.

Every test that writes gets its own in-memory Oxigraph store loaded with the built graph, so a
test can assert exactly what changed (``snapshot``) and what did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from gcm_kg.writes import auth
from tests.curate.helpers import Curators
from tests.helpers import make_app


@pytest.fixture()
def wsettings(settings: Settings, tmp_path: Path) -> Settings:
    return replace(
        settings,
        curator_tokens=tmp_path / "curator-tokens",
        audit_log=tmp_path / "audit.log",
        max_body=64_000,
        query_timeout=20.0,
    )


@pytest.fixture()
def curators(wsettings: Settings) -> Curators:
    path = wsettings.curator_tokens
    return Curators(
        ana=auth.add_token(path, "ana"),
        bo=auth.add_token(path, "bo"),
        cleo=auth.add_token(path, "cleo", ("curate",)),
    )


@pytest.fixture()
def wstore(nquads: bytes) -> Iterator[Store]:
    store = open_store("oxigraph:")
    store.replace_all(nquads)
    yield store
    store.close()


@pytest.fixture()
def wclient(wsettings: Settings, wstore: Store, curators: Curators):  # type: ignore[no-untyped-def]

    return make_app(wsettings, wstore).test_client()
