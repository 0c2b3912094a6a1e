"""Per-app state: the settings and store in ``app.extensions["gcm_kg"]``, and the app's one
query ``Executor``. Blueprints import these from here; the factory (``gcm_kg.web.create_app``)
imports the blueprints, so nothing here imports them back."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Flask, current_app

from gcm_kg.config import Settings
from gcm_kg.sparql.execute import Executor
from gcm_kg.store import Store

#: where the app's Executor is kept in ``app.extensions``
EXECUTOR = "gcm_kg.sparql"
_LOCK = threading.Lock()


@dataclass
class AppState:
    settings: Settings
    store: Store


def state() -> AppState:
    return current_app.extensions["gcm_kg"]  # type: ignore[no-any-return]


def executor(app: Flask | None = None) -> Executor:
    """The app's one Executor (its worker processes start on first use)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _LOCK:
        found = app.extensions.get(EXECUTOR)
        if found is None:
            st = app.extensions["gcm_kg"]
            found = app.extensions[EXECUTOR] = Executor(st.settings, st.store)
    return found  # type: ignore[no-any-return]
