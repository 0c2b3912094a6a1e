"""Pages for people: the home page, lists to browse, and the ``/stats`` coverage page."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from gcm_kg import trust
from gcm_kg.errors import NotFound
from gcm_kg.linked import listing, stats
from gcm_kg.linked.jsonld import natural_key
from gcm_kg.sparql import named
from gcm_kg.web import negotiation
from gcm_kg.web.app import executor, state
from gcm_kg.web.common import cacheable, local_href
from gcm_kg.web.http import entity_tag
from gcm_kg.web.kept import KEEP

bp = Blueprint("pages", __name__)
SPARQL_JSON = "application/sparql-results+json"

BROWSE_TITLES = {
    "objectives": "Objectives of the Global Compact",
    "round-tables": "Round tables of the 2022 International Migration Review Forum",
    "principles": "Guiding principles",
    "paragraphs": "Paragraphs of the Progress Declaration",
    "actors": "Actors",
    "pledges": "Pledges",
}

Q_BROWSE = """
PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?order ?label ?text WHERE {{
  {match} .
  OPTIONAL {{ {order} }}
  OPTIONAL {{ {label} }}
  OPTIONAL {{ ?item gcm:text ?text }}
}}
"""


def _items(kind: str) -> list[tuple[str, str, str]]:
    """(href, label, snippet) of every resource of a collection, in the collection's order."""
    spec = listing.LISTINGS[kind]
    query = Q_BROWSE.format(
        match=spec.match, order=spec.order, label=trust.label_pattern("?item", "?label")
    )
    rows = state().store.query(query).rows
    seen: dict[str, tuple[tuple[object, ...], str, str]] = {}
    for row in rows:
        iri = str(row["item"])
        key = natural_key(str(row.get("order", ""))) + natural_key(iri)
        text = str(row.get("text", ""))
        snippet = text if len(text) <= 160 else text[:159] + "…"
        if iri not in seen or key < seen[iri][0]:
            seen[iri] = (key, str(row.get("label", iri)), snippet)
    ordered = sorted(seen.items(), key=lambda kv: kv[1][0])
    return [
        (href, label, snippet)
        for iri, (_, label, snippet) in ordered
        if (href := local_href(iri)) is not None
    ]


@bp.get("/")
def home() -> Response:
    body = render_template(
        "home.html",
        objectives=_items("objectives"),
        round_tables=_items("round-tables"),
        principles=_items("principles"),
        kinds=BROWSE_TITLES,
    )
    return cacheable(Response(body, mimetype="text/html"), vary_accept=False)


@bp.get("/browse/<kind>")
def browse(kind: str) -> Response:
    if kind not in BROWSE_TITLES:
        raise NotFound(f"nothing to browse called {kind!r}; try: {', '.join(BROWSE_TITLES)}")
    body = render_template("browse.html", title=BROWSE_TITLES[kind], items=_items(kind), kind=kind)
    return cacheable(Response(body, mimetype="text/html"), vary_accept=False)


def query_rows(q: named.NamedQuery) -> list[dict[str, str]]:
    """A named query's answer through the path of ``/sparql``: the maintained tables when kept,
    else the query workers under the same time and memory limits (never in this thread)."""
    ex = executor()
    job = ex.job(q.sparql, wanted=negotiation.wanted(SPARQL_JSON, None))
    data = json.loads(ex.run(job).body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@bp.get("/stats", endpoint="stats")
def stats_page() -> Response:
    """The coverage page. Its ETag is the store version's: a client holding it gets a 304 with
    no query run, and the first 200 of a version is kept and sent again (``web.kept``)."""
    settings = state().settings
    etag = entity_tag(f"stats {executor().store.version()} {request.script_root}".encode())
    headers = {
        "ETag": f'W/"{etag}"',
        "Cache-Control": f"public, max-age={settings.cache_max_age}",
    }
    if request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    figures = stats.coverage(query_rows, settings.queries_dir, local_href)
    for fig in figures:
        fig.svg = Markup(fig.svg)  # built by charts.bar_chart, which escapes every text
    links = {
        fig.key: request.script_root + "/sparql?" + urlencode({"query": fig.query.sparql})
        for fig in figures
    }
    body = render_template("stats.html", figures=figures, links=links)
    request.environ[KEEP] = True
    return Response(body, mimetype="text/html", headers=headers)
