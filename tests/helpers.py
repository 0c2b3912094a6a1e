"""Helpers shared by test modules (fixtures live in conftest.py; test modules import no other
test module's helpers)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from flask.testing import FlaskClient

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.web import create_app
from gcm_kg.web.app import EXECUTOR

#: the Accept header browsers send for a page
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def client_for(settings: Settings, store: Store, **overrides: object) -> Iterator[FlaskClient]:
    """A test client of an app on ``store`` with ``overrides`` of the settings; the app's query
    executor (and its worker processes) closed after."""
    app = create_app(replace(settings, **overrides), store=store)  # type: ignore[arg-type]
    app.config["TESTING"] = True
    yield app.test_client()
    ex = app.extensions.get(EXECUTOR)
    if ex is not None:
        ex.close()
