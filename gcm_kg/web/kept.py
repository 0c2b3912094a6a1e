"""Kept replies: a repeated GET of a query answer is sent again as the app first sent it.

Portals send the same requests again and again, and the data changes only on curator writes. So
the first 200 answer to a GET of ``/sparql?query=…``, ``/queries/NAME?…`` or ``/stats`` is
kept, whole (status, headers, body), in the result cache under the store version read before the
app saw the request; the same request (path, host, query string, ``Accept``) under the same
version is answered from it here, before Flask: no routing, parsing, binding, negotiation or
guard, and none of Flask's request handling, which costs more than the rest of such an answer.
A write changes the version and so empties the cache: a kept reply is never older than the data.

What is not answered here goes to the app unchanged: other methods, other paths, a request
carrying ``If-None-Match`` (the app answers 304), a client over its rate limit (the app answers
429, told not to count the request twice), a store that cannot tell its version (503).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask

from gcm_kg.errors import GcmKgError
from gcm_kg.web import ratelimit

if TYPE_CHECKING:
    from gcm_kg.sparql.execute import Executor

#: environ: set by a view whose 200 answer to this GET may be kept
KEEP = "gcm_kg.keep"

StartResponse = Callable[..., Any]


@dataclass
class Kept:
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def request_key(environ: dict[str, Any]) -> tuple[str, ...] | None:
    """What makes two requests the same request, for the paths whose answers are kept."""
    path = environ.get("PATH_INFO", "")
    if path not in ("/sparql", "/stats") and not path.startswith("/queries/"):
        return None
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    return (
        environ.get("wsgi.url_scheme", "http"),
        host,
        environ.get("SCRIPT_NAME", ""),
        path,
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT", ""),
    )


class KeptReplies:
    """WSGI middleware around a gcm-kg app: answers repeated GETs from their kept replies."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.inner = app.wsgi_app
        self._executor: Executor | None = None  # the app's, once made (no lock per request)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        key = request_key(environ) if method in ("GET", "HEAD") else None
        if key is None:
            return self.inner(environ, start_response)  # type: ignore[no-any-return]
        try:
            ex = self._executor
            if ex is None:
                from gcm_kg.web.app import executor

                ex = self._executor = executor(self.app)
            version = ex.store.version()
        except GcmKgError:  # a store that cannot say: the app answers with the problem
            return self.inner(environ, start_response)  # type: ignore[no-any-return]
        kept = ex.cache.get(version, key)
        if (
            isinstance(kept, Kept)
            and "HTTP_IF_NONE_MATCH" not in environ
            and ratelimit.admit(self.app, environ)
        ):
            start_response(kept.status, kept.headers)
            return [] if method == "HEAD" else [kept.body]
        if method == "HEAD":
            return self.inner(environ, start_response)  # type: ignore[no-any-return]
        said: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            said[:] = [status, headers]
            return start_response(status, headers, *exc)

        answer = self.inner(environ, capture)
        if not environ.get(KEEP):
            return answer  # type: ignore[no-any-return]
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        status, headers = said
        if status.startswith("200 "):
            again = [
                (k, "cache;desc=hit" if k.lower() == "server-timing" else v) for k, v in headers
            ]
            ex.cache.put(version, key, Kept(status, again, body))
        return [body]
