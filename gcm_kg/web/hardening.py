"""What every response and request of the app gets, whatever blueprint answers it.

* Security headers on every response: a Content-Security-Policy that allows scripts only from
  this origin's files (the pages hold no inline script, and a ``javascript:`` IRI in the data is
  never made a link: ``links.py``), no framing, no MIME sniffing, no full referrer sent away.
  Inline ``<style>`` stays allowed: the pages' stylesheet is inline, and styles run no code.
* Credentials in the URL are refused (401) before any view runs: a URL is logged by proxies,
  kept in browser histories and sent as a referrer. The answer neither echoes nor stores them.
* ``GET /status``: the counters of what is not logged (``audit.counters``).
"""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, request

from gcm_kg.writes import audit
from gcm_kg.writes.auth import Unauthorized

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
#: query parameter names that carry credentials (compared lower-case)
CREDENTIAL_PARAMS = frozenset(
    {"access_token", "token", "bearer", "api_key", "apikey", "auth", "authorization", "password"}
)

bp = Blueprint("status", __name__)


@bp.get("/status")
def status() -> Response:
    body = {"notLogged": audit.counters()}
    return Response(json.dumps(body) + "\n", mimetype="application/json")


def register(app: Flask) -> None:
    @app.before_request
    def _no_credentials_in_url() -> None:
        named = {k.lower() for k in request.args}
        if named & CREDENTIAL_PARAMS:
            audit.count("credentials-in-url")
            raise Unauthorized(
                "credentials are never accepted in the URL (it is logged and kept by browsers "
                "and proxies): send Authorization: Bearer <token>, and revoke a token that was "
                "sent in a URL"
            )

    @app.after_request
    def _headers(resp: Response) -> Response:
        for name, value in HEADERS.items():
            resp.headers.setdefault(name, value)
        return resp

    app.register_blueprint(bp)
