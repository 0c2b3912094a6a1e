"""``/dataset`` and ``/.well-known/void``: the dataset's description; ``/dataset/<file>``: dumps."""

from __future__ import annotations

import base64
import json

from flask import Blueprint, Response, current_app, render_template, request

from gcm_kg import formats
from gcm_kg.errors import NotFound
from gcm_kg.linked import dataset as description
from gcm_kg.linked.dumps import DumpCache
from gcm_kg.web.app import state
from gcm_kg.web.common import HTML, allow_cors, cacheable, choose, local_href

bp = Blueprint("dataset", __name__)
allow_cors(bp)

RDF_OFFERED = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]


def _cache() -> DumpCache:
    """One dump cache per app (its folder comes from the app's settings)."""
    ext = current_app.extensions
    if "gcm_kg.dumps" not in ext:
        ext["gcm_kg.dumps"] = DumpCache(state().settings.dump_dir)
    cache: DumpCache = ext["gcm_kg.dumps"]
    return cache


def _described(offered: list[str]) -> Response:
    media = choose(offered)
    store = state().store
    summary = description.summarize(store)
    dumps = _cache().dumps(store)
    base = state().settings.base_iri
    if media == HTML:
        body = render_template(
            "dataset.html",
            summary=summary,
            dumps=dumps,
            title=description.TITLE,
            text=description.DESCRIPTION,
            attribution=description.ATTRIBUTION,
            base=base,
            href=local_href,
        )
        return cacheable(Response(body, mimetype=HTML))
    graph = description.description(summary, dumps, base)
    fmt = formats.lookup(media)
    assert fmt is not None and fmt.rdflib is not None
    if fmt.name == "jsonld":
        data = graph.serialize(format="json-ld", auto_compact=True).encode("utf-8")
        data = json.dumps(json.loads(data), indent=2, ensure_ascii=False).encode("utf-8")
    else:
        data = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    return cacheable(Response(data, mimetype=media))


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description (RFC 5785 well-known location), RDF only."""
    return _described(RDF_OFFERED)


@bp.get("/dataset")
def describe() -> Response:
    return _described([*RDF_OFFERED[:2], HTML, *RDF_OFFERED[2:]])


@bp.get("/dataset/<name>")
def download(name: str) -> Response:
    store = state().store
    path = _cache().path(store, name)
    if path is None:
        names = ", ".join(d.name for d in _cache().dumps(store))
        raise NotFound(f"no download {name!r}; downloads: {names}")
    dump = next(d for d in _cache().dumps(store) if d.name == name)
    mimetype = dump.compress or dump.media_type
    # read whole (a few MB at most) rather than stream, so no file handle outlives the request
    resp = Response(path.read_bytes(), mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.set_etag(dump.sha256[:32])
    resp.headers["Digest"] = "sha-256=" + _b64(dump.sha256)
    resp.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    resp.make_conditional(request)  # sets 304 in place when the client is current
    return resp


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()
