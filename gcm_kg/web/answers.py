"""How the SPARQL endpoints answer (``/sparql`` and the named queries of ``/queries``): run a
job, or 304 when the client holds the same answer; ETags from the store version and the request;
the result headers; CORS so browser applications on other origins can query."""

from __future__ import annotations

from flask import Response, request

from gcm_kg.sparql.execute import Executor
from gcm_kg.sparql.jobs import Job
from gcm_kg.sparql.pool import Answer
from gcm_kg.web import http
from gcm_kg.web.app import executor, state
from gcm_kg.web.kept import KEEP

ALLOWED = "GET, HEAD, POST, OPTIONS"
EXPOSED = (
    "ETag, Results-Truncated, Results-Limit, Results-Byte-Limit, Content-Length, Server-Timing"
)


def cors(resp: Response) -> Response:
    """CORS for the SPARQL endpoints: any origin, the result headers exposed."""
    return http.cors(resp, EXPOSED)


def preflight() -> Response:
    """Answer a CORS preflight: any origin, our methods, the headers protocol clients send."""
    resp = Response(status=204)
    del resp.headers["Content-Type"]
    resp.headers["Allow"] = ALLOWED
    resp.headers["Access-Control-Max-Age"] = "86400"
    return http.cors(
        resp, EXPOSED, methods=ALLOWED, allow_headers="Accept, Content-Type, If-None-Match"
    )


def _etag(ex: Executor, job: Job) -> str:
    """A weak validator: the same store version and request give an equivalent answer."""
    key = repr((ex.store.version(), ex.cache_key(job))).encode("utf-8")
    return http.entity_tag(key)


def _validators(etag: str) -> dict[str, str]:
    max_age = state().settings.sparql_max_age
    return {
        "ETag": f'W/"{etag}"',
        "Cache-Control": f"public, max-age={max_age}, must-revalidate",
        "Vary": "Accept",
    }


def _held(etag: str) -> bool:
    """Whether the client already holds the answer with this ETag."""
    return request.if_none_match.contains_weak(etag) or request.if_none_match.star_tag


def reply(answer: Answer, etag: str, limit: int | None, max_bytes: int | None = None) -> Response:
    """An answer with its validators, whether it was cut (at the row or the byte limit), and
    what it cost."""
    headers = _validators(etag)
    if answer.truncated:
        headers["Results-Truncated"] = "true"
        if answer.byte_cut and max_bytes:
            headers["Results-Byte-Limit"] = str(max_bytes)
        else:
            headers["Results-Limit"] = str(limit)
    # W3C Server Timing: what the engine took (query and serialization), or that none ran
    timed = answer.elapsed_ms is not None
    headers["Server-Timing"] = f"query;dur={answer.elapsed_ms:.3f}" if timed else "cache;desc=hit"
    text = answer.media_type.startswith("text/") or "xml" in answer.media_type
    ctype = answer.media_type + ("; charset=utf-8" if text else "")
    return Response(answer.body, status=200, content_type=ctype, headers=headers)


def respond(job: Job, client: str | None = None) -> Response:
    """Run a job and answer it, or answer 304 when the client holds the same answer. A GET's
    answer may be kept whole and sent again for the same request (``web.kept``). ``client``
    (an address) is held to its share of queries in progress: /sparql queries, whose cost no
    one checked; the named queries' cost is known, and they are under the global limit only."""
    ex = executor()
    ex.check(job)
    etag = _etag(ex, job)
    if _held(etag):
        return Response(status=304, headers=_validators(etag))
    answer = ex.run(job, client=client)
    request.environ[KEEP] = True
    return reply(answer, etag, job.limit, job.max_bytes)
