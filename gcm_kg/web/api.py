"""``/api``: JSON-LD collections for portals, paged as Hydra collections; the context; OpenAPI.

Every member of a collection has the same frame as the resource's own JSON-LD at ``/id/...``.
Parameters are strict: an unknown or repeated parameter, or a bad value, is a 400 that says
what is wrong.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request
from rdflib import Literal

from gcm_kg import iris
from gcm_kg.errors import NotFound, ParameterError
from gcm_kg.linked import language, listing
from gcm_kg.linked.context import CONTEXT_FILE, context_url
from gcm_kg.linked.describe import Description, describe
from gcm_kg.linked.jsonld import frame, member
from gcm_kg.linked.openapi import document as openapi_document
from gcm_kg.web.app import state
from gcm_kg.web.common import allow_cors, cacheable, choose, public_url

bp = Blueprint("api", __name__)
allow_cors(bp)

JSONLD = "application/ld+json"
OFFERED = [JSONLD, "application/json"]
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def _json(
    doc: object, media: str = JSONLD, status: int = 200, said: language.Choice | None = None
) -> Response:
    body = json.dumps(doc, ensure_ascii=False, indent=2)
    resp = Response(body, status=status, mimetype=media)
    if said is not None:  # framed JSON-LD: names in the language asked for
        resp.vary.add("Accept-Language")
        if said.asked:
            resp.headers["Content-Language"] = said.lang
    if media == "application/json":
        link = context_url(state().settings.base_iri)
        resp.headers["Link"] = f'<{link}>; rel="http://www.w3.org/ns/json-ld#context"'
    return cacheable(resp)


@bp.get("/context.jsonld")
def context() -> Response:
    resp = Response(CONTEXT_FILE.read_bytes(), mimetype=JSONLD)
    return cacheable(resp, vary_accept=False)


@bp.get("/openapi.json")
def openapi() -> Response:
    doc = openapi_document(public_url("").rstrip("/"))
    resp = Response(json.dumps(doc, indent=2), mimetype="application/json")
    return cacheable(resp, vary_accept=False)


@bp.get("/api")
def docs() -> str:
    doc = openapi_document(public_url("").rstrip("/"))
    return render_template("api.html", doc=doc, operations=operations(doc))


def operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each GET operation of the OpenAPI document as the /api page shows it: summary, what it
    returns, its parameters, and an example request that works on this graph."""
    out = []
    for path, item in doc["paths"].items():
        op = item.get("get")
        if op is None:
            continue
        params = []
        for p in op.get("parameters", []):
            schema = p.get("schema", {})
            kind = schema.get("type", "")
            if "enum" in schema:
                kind = "one of " + ", ".join(str(v) for v in schema["enum"])
            elif "minimum" in schema and "maximum" in schema:
                kind = f"{kind} {schema['minimum']}..{schema['maximum']}"
            params.append(
                {
                    "name": p["name"],
                    "in": p.get("in", "query"),
                    "required": bool(p.get("required")),
                    "type": kind,
                    "description": p.get("description", ""),
                    "example": p.get("example"),
                }
            )
        out.append(
            {
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": params,
                "example": _example(path, op.get("parameters", [])),
            }
        )
    return out


def _example(path: str, parameters: list[dict[str, Any]]) -> str | None:
    """``path`` with its path parameters filled from the graph (or their minimum) and the first
    query parameter that has an example; None when the graph holds nothing to show."""
    url = path
    for p in parameters:
        if p.get("in") != "path":
            continue
        value = p.get("example") or p.get("schema", {}).get("minimum")
        if value is None:
            value = _first_slug(path.split("{", 1)[0])
        if value is None:
            return None
        url = url.replace("{" + p["name"] + "}", str(value))
    first = next((p for p in parameters if p.get("in") == "query" and p.get("example")), None)
    if first is not None:
        url += "?" + urlencode({first["name"]: first["example"]})
    return url


def _first_slug(prefix: str) -> str | None:
    """The last segment of the first resource in the graph whose IRI starts with ``prefix``
    (e.g. ``/id/pledge/``), kept per store version."""
    store = state().store
    key = (store.version(), prefix)
    if key not in _SLUGS:
        base = state().settings.base_iri.rstrip("/") + prefix
        found = store.query(
            "SELECT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?base)) } ORDER BY ?s LIMIT 1",
            bindings={"base": Literal(base)},
        )
        iri = str(found.rows[0]["s"]) if found.rows else ""
        slug = iri[len(base) :]
        if len(_SLUGS) > 256:
            _SLUGS.clear()
        _SLUGS[key] = slug if slug and "/" not in slug else None
    return _SLUGS[key]


_SLUGS: dict[tuple[str, str], str | None] = {}


def _int_param(name: str, default: int, lo: int, hi: int) -> int:
    values = request.args.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise ParameterError(f"parameter {name!r} given {len(values)} times; give it once")
    raw = values[0]
    if not re.fullmatch(r"[0-9]{1,7}", raw) or not lo <= int(raw) <= hi:
        raise ParameterError(f"parameter {name!r}: {raw!r} is not a whole number from {lo} to {hi}")
    return int(raw)


def _filters(spec: listing.Listing) -> dict[str, str]:
    allowed = {f.name for f in spec.filters} | {"page", "per_page", "lang"}
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(unknown)}; {spec.name} takes: "
            + ", ".join(sorted(allowed))
        )
    raw: dict[str, str] = {}
    for f in spec.filters:
        values = request.args.getlist(f.name)
        if len(values) > 1:
            raise ParameterError(f"parameter {f.name!r} given {len(values)} times; give it once")
        if values:
            raw[f.name] = values[0]
    return raw


def _page_url(kind: str, filters: dict[str, str], page: int | None, per_page: int) -> str:
    params = list(filters.items())
    if page is not None:
        params += [("page", str(page)), ("per_page", str(per_page))]
    url = public_url(f"api/{kind}")
    return url + ("?" + urlencode(params) if params else "")


@bp.get("/api/<kind>")
def collection(kind: str) -> Response:
    spec = listing.LISTINGS.get(kind)
    if spec is None:
        raise NotFound(f"no collection {kind!r}; collections: {', '.join(listing.LISTINGS)}")
    media = choose(OFFERED)
    said = _language()
    filters = _filters(spec)
    page = _int_param("page", 1, 1, MAX_PAGE)
    per_page = _int_param("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    store = state().store
    items = listing.matching(spec, store, listing.bind_filters(spec, store, filters))
    last = max(1, -(-len(items) // per_page))
    if page > last:
        raise NotFound(f"page {page} is past the last page ({last}) of {len(items)} items")
    chunk = items[(page - 1) * per_page : page * per_page]
    doc = {
        "@context": context_url(state().settings.base_iri),
        "id": _page_url(kind, filters, None, per_page),
        "type": "Collection",
        "title": spec.title,
        "totalItems": len(items),
        "member": [member(_in(describe(store, item, said.lang), said)) for item in chunk],
        "view": {
            "id": _page_url(kind, filters, page, per_page),
            "type": "PartialCollectionView",
            "first": _page_url(kind, filters, 1, per_page),
            "last": _page_url(kind, filters, last, per_page),
            "previous": _page_url(kind, filters, page - 1, per_page) if page > 1 else None,
            "next": _page_url(kind, filters, page + 1, per_page) if page < last else None,
        },
    }
    return _json(doc, media, said=said)


def _language() -> language.Choice:
    values = request.args.getlist("lang")
    if len(values) > 1:
        raise ParameterError(f"parameter 'lang' given {len(values)} times; give it once")
    return language.choose(values[0] if values else None, request.headers.get("Accept-Language"))


def _in(desc: Description, said: language.Choice) -> Description:
    """The description in the language asked for; with no preference, every language."""
    return language.in_language(desc, said.lang) if said.asked else desc


@bp.get("/api/objectives/<n>")
def objective(n: str) -> Response:
    media = choose(OFFERED)
    said = _language()
    if set(request.args) - {"lang"}:
        unknown = sorted(set(request.args) - {"lang"})
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; this takes: lang")
    if not re.fullmatch(r"[0-9]{1,3}", n):
        raise ParameterError(f"objective number {n!r} is not a whole number")
    if not 1 <= int(n) <= 23:
        raise NotFound(f"there is no objective {int(n)}; objectives are numbered 1 to 23")
    desc = describe(state().store, iris.objective(int(n)), said.lang)
    if not desc.exists:
        raise NotFound(f"the graph holds no objective {int(n)}")
    return _json(frame(_in(desc, said), state().settings.base_iri), media, said=said)
