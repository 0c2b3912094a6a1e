"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and its query page.

The view only wires parts together: ``sparql.protocol`` parses the request, ``web.negotiation``
picks formats, ``sparql.execute`` guards, caches and runs, ``web.answers`` answers: an ETag made
from the store version and the request, so an unchanged answer costs a 304, and CORS headers,
so browser applications on other origins can query.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import URIRef

from gcm_kg.sparql import description, named
from gcm_kg.sparql.jobs import FORMS
from gcm_kg.sparql.protocol import parse_request
from gcm_kg.sparql.serialize import document
from gcm_kg.web import http, negotiation
from gcm_kg.web.answers import cors, preflight, respond
from gcm_kg.web.app import executor, state

bp = Blueprint("sparql", __name__)
SIZES = "gcm_kg.sparql.graph-sizes"


@bp.after_request
def _after(resp: Response) -> Response:
    return cors(resp)


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
        http.read_body(settings.max_body),
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
