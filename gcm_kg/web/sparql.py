"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and its query page.

The view only wires parts together: ``sparql.protocol`` parses the request, ``web.negotiation``
picks formats, ``sparql.execute`` guards, caches and runs. Every answer carries an ETag made
from the store version and the request, so an unchanged answer costs a 304, and CORS headers,
so browser applications on other origins can query.
"""

from __future__ import annotations

import hashlib
import threading
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from rdflib import URIRef

from gcm_kg.errors import PayloadTooLarge
from gcm_kg.sparql import description, named
from gcm_kg.sparql.execute import Executor
from gcm_kg.sparql.executor import Answer
from gcm_kg.sparql.jobs import FORMS, Job
from gcm_kg.sparql.protocol import parse_request
from gcm_kg.sparql.serialize import document
from gcm_kg.web import negotiation, state
from gcm_kg.web.kept import KEEP

bp = Blueprint("sparql", __name__)
_LOCK = threading.Lock()
EXTENSION = "gcm_kg.sparql"
SIZES = "gcm_kg.sparql.graph-sizes"
ALLOWED = "GET, HEAD, POST, OPTIONS"
EXPOSED = (
    "ETag, Results-Truncated, Results-Limit, Results-Byte-Limit, Content-Length, Server-Timing"
)


def executor(app: Flask | None = None) -> Executor:
    """The app's one Executor (its worker processes start on first use)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _LOCK:
        found = app.extensions.get(EXTENSION)
        if found is None:
            st = app.extensions["gcm_kg"]
            found = app.extensions[EXTENSION] = Executor(st.settings, st.store)
    return found  # type: ignore[no-any-return]


def cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = EXPOSED
    return resp


def preflight() -> Response:
    """Answer a CORS preflight: any origin, our methods, the headers protocol clients send."""
    resp = Response(status=204)
    del resp.headers["Content-Type"]
    resp.headers["Allow"] = ALLOWED
    resp.headers["Access-Control-Allow-Methods"] = ALLOWED
    resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
    resp.headers["Access-Control-Max-Age"] = "86400"
    return resp


@bp.after_request
def _after(resp: Response) -> Response:
    return cors(resp)


def _body(limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes")
    return request.get_data(cache=False)


def _etag(ex: Executor, job: Job) -> str:
    """A weak validator: the same store version and request give an equivalent answer."""
    key = repr((ex.store.version(), ex.cache_key(job))).encode("utf-8")
    return hashlib.sha256(key).hexdigest()[:32]


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


def _graph_sizes() -> dict[URIRef, int]:
    """Triples per named graph, counted once per store version (a count walks every graph)."""
    store = state().store
    version = store.version()
    cached = current_app.extensions.get(SIZES)
    if cached is None or cached[0] != version:
        rows = store.query(description.GRAPH_SIZES).rows
        sizes = {URIRef(str(r["g"])): int(str(r["n"])) for r in rows}
        cached = current_app.extensions[SIZES] = (version, sizes)
    return cached[1]  # type: ignore[no-any-return]


def _service_description(format_param: str | None) -> Response:
    st = state()
    fmt = negotiation.graph_format(request.headers.get("Accept"), format_param)
    g = description.describe(request.base_url, _graph_sizes(), st.settings)
    body = document(g, fmt)
    ctype = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    return Response(body, content_type=ctype, headers={"Vary": "Accept"})


def format_names() -> dict[str, list[str]]:
    """Download choices per form, for the pages' script."""
    return {form: [f.name for f in negotiation.offered_formats(form)] for form in FORMS}


def page(query: str = "") -> Response:
    """The query page: an editor, the named queries as examples, results rendered by sparql.js."""
    settings = state().settings
    queries = list(named.catalogue(settings.queries_dir).values())
    examples = {
        q.name: {
            "sparql": q.sparql,
            "url": url_for("queries.run", name=q.name)
            + ("?" + urlencode({p.name: p.example for p in q.params}) if q.params else ""),
            "params": [p.name for p in q.params],
        }
        for q in queries
    }
    # an empty editor teaches nothing: open with the first named query that needs no parameter
    chosen = ""
    if not query:
        first = next((q for q in queries if not q.params), None)
        if first is not None:
            query, chosen = first.sparql, first.name
    html = render_template(
        "sparql_page.html",
        query=query,
        chosen=chosen,
        queries=queries,
        examples=examples,
        formats=format_names(),
        result_formats=negotiation.offered_formats("SELECT"),
        graph_formats=negotiation.offered_formats("GRAPH"),
        settings=settings,
    )
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return preflight()
    settings = state().settings
    parsed = parse_request(
        request.method,
        request.query_string,
        request.headers.get("Content-Type"),
        _body(settings.max_body),
        max_body=settings.max_body,
        max_query_length=settings.max_query_length,
    )
    accept = request.headers.get("Accept")
    browser = request.method != "POST" and negotiation.wants_html(accept, parsed.format)
    if parsed.query is None:
        return page() if browser else _service_description(parsed.format)
    if browser:
        return page(parsed.query)
    job = executor().job(
        parsed.query,
        wanted=negotiation.wanted(accept, parsed.format),
        default_graphs=parsed.default_graphs if parsed.has_dataset else None,
        named_graphs=parsed.named_graphs if parsed.has_dataset else None,
        timeout=parsed.timeout,
        base=request.base_url,
    )
    return respond(job, client=request.remote_addr)
