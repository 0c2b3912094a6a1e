"""The Flask application factory. Only ``gcm_kg.web`` imports Flask.

Per-app state (settings, store) lives in ``app.extensions["gcm_kg"]``; blueprints read it with
``gcm_kg.web.app.state()``, never from the environment.
"""

from __future__ import annotations

from flask import Flask

from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from gcm_kg.web.app import AppState, state

__all__ = ["AppState", "create_app", "state"]  # state: kept for callers not yet on web.app


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    if store is None:  # not ``store or …``: an empty store has len() 0 and is still the store
        store = open_store(
            settings.store,
            graph_store_url=settings.graph_store_url,
            read_timeout=settings.query_timeout,
        )
    app.extensions["gcm_kg"] = AppState(settings, store)

    from gcm_kg.web import hardening, problems, ratelimit

    problems.register(app)
    hardening.register(app)
    ratelimit.register(app, settings.rate_limit, settings.rate_burst)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    from gcm_kg.web.kept import KeptReplies

    app.wsgi_app = KeptReplies(app)  # type: ignore[method-assign]
    return app


def _blueprints() -> list:  # type: ignore[type-arg]
    """Every blueprint of the app; each module adds itself here."""
    from gcm_kg.web import (
        api,
        changes,
        curate,
        dataset,
        graphs,
        ontology,
        pages,
        queries,
        resources,
        sparql,
        update,
    )

    return [
        ontology.bp,
        sparql.bp,
        queries.bp,
        pages.bp,
        resources.bp,
        api.bp,
        changes.bp,
        dataset.bp,
        curate.bp,
        graphs.bp,
        update.bp,
    ]
