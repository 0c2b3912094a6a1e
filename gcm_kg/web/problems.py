"""The one boundary where typed errors become HTTP problem responses (RFC 9457).

Clients that asked for JSON get ``application/problem+json``; protocol clients asking for
anything else get the same message as plain text. 5xx details never leave the server.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from gcm_kg.errors import GcmKgError

log = logging.getLogger("gcm_kg.web")


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    accept = request.headers.get("Accept", "") if request else ""
    wants_text = "json" not in accept and "html" not in accept and accept not in ("", "*/*")
    if wants_text:
        resp = Response(f"{title}: {detail}\n", status=status, mimetype="text/plain")
    else:
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        resp = Response(
            json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json"
        )
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def register(app: Flask) -> None:
    @app.errorhandler(GcmKgError)
    def _typed(exc: GcmKgError) -> Response:
        if exc.status >= 500 and exc.status != 503:
            log.exception("internal error", exc_info=exc)
            return problem(exc.status, exc.title, "the server could not complete the request")
        return problem(exc.status, exc.title, exc.detail, exc.headers)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        headers = {}
        if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return problem(exc.code or 500, exc.name, exc.description or exc.name, headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return problem(500, "Internal error", "the server could not complete the request")
