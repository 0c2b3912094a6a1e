"""``/queries``: the named queries of ``queries/`` as a small read API.

``/queries`` lists them (JSON, or HTML for browsers) with title, description and typed
parameters; ``/queries/NAME?param=value`` runs one. Values are checked against the declared
type and bound to the query's variables as RDF terms, never spliced into its text, then the
query takes the same path as ``/sparql``: guard, cache, formats, ETag.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, url_for

from gcm_kg.errors import BadRequest
from gcm_kg.sparql import named
from gcm_kg.sparql.protocol import FORMAT_PARAMS, format_param, pairs_of, timeout_param
from gcm_kg.web import negotiation
from gcm_kg.web.accept import negotiate
from gcm_kg.web.answers import cors, preflight, respond
from gcm_kg.web.app import executor, state

bp = Blueprint("queries", __name__)
_RESERVED = {*FORMAT_PARAMS, "timeout", "results"}


@bp.after_request
def _after(resp: Response) -> Response:
    return cors(resp)


def _entry(q: named.NamedQuery) -> dict[str, object]:
    return q.describe() | {"url": url_for("queries.run", name=q.name), "sparql": q.sparql}


@bp.route("/queries", methods=["GET", "OPTIONS"], provide_automatic_options=False)
def listing() -> Response:
    if request.method == "OPTIONS":
        return preflight()
    queries = list(named.catalogue(state().settings.queries_dir).values())
    accept = request.headers.get("Accept")
    kind = negotiate(accept, ["application/json", negotiation.HTML])
    if kind == negotiation.HTML:
        html = render_template("queries_list.html", queries=queries)
        return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    body = json.dumps({"queries": [_entry(q) for q in queries]}, ensure_ascii=False, indent=1)
    return Response(body, content_type="application/json", headers={"Vary": "Accept"})


def _values(q: named.NamedQuery, pairs: list[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    optional = {p.name for p in q.params if p.optional}
    for key, value in pairs:
        if key in _RESERVED:
            continue
        if key in values:
            raise BadRequest(f"parameter {key!r} given twice; give it once")
        if value == "" and key in optional:  # an empty optional field of the HTML form
            continue
        values[key] = value
    return values


@bp.route("/queries/<name>", methods=["GET", "OPTIONS"], provide_automatic_options=False)
def run(name: str) -> Response:
    if request.method == "OPTIONS":
        return preflight()
    q = named.get(state().settings.queries_dir, name)
    pairs = pairs_of(request.query_string, "query string")
    values = _values(q, pairs)
    bindings = q.bindings(values)
    fmt = format_param(pairs)
    accept = request.headers.get("Accept")
    if negotiation.wants_html(accept, fmt):
        html = render_template(
            "query_page.html",
            q=q,
            values=values,
            result_formats=negotiation.offered_formats("SELECT"),
        )
        return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    q.check_resources(state().store, bindings)
    job = executor().job(
        q.sparql,
        wanted=negotiation.wanted(accept, fmt),
        bindings=tuple(sorted(bindings.items())),
        timeout=timeout_param(pairs),
    )
    return respond(job)
