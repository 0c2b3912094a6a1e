"""Shared HTTP behaviour of the linked-data blueprints: format choice, caching, CORS, links.

* ``choose`` picks a representation: the ``format`` parameter wins over ``Accept``.
* ``cacheable`` adds ``ETag`` (a hash of the body, so it is the same in every worker),
  ``Last-Modified`` (when this process first saw the store's current version: the data did not
  change after it), ``Cache-Control`` and ``Vary: Accept``, and answers conditional requests
  with 304.
* ``allow_cors`` opens read-only responses to browser apps on other origins.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from flask import Blueprint, Response, request

from gcm_kg import formats
from gcm_kg.errors import NotAcceptable, ParameterError
from gcm_kg.web import http
from gcm_kg.web.accept import negotiate
from gcm_kg.web.app import state

HTML = "text/html"

_seen_lock = threading.Lock()
_seen: dict[str, datetime] = {}


def single_arg(name: str) -> str | None:
    """A query parameter that may appear at most once."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ParameterError(f"parameter {name!r} given {len(values)} times; give it once")
    return values[0] if values else None


def choose(offered: Sequence[str]) -> str:
    """The media type to answer with: ``?format=`` if given, else negotiated from ``Accept``."""
    requested = single_arg("format")
    if requested is None:
        return negotiate(request.headers.get("Accept"), offered)
    key = requested.strip().lower()
    if key in ("html", HTML):
        media = HTML
    else:
        fmt = formats.lookup(key)
        if fmt is None:
            raise ParameterError(
                f"unknown format {requested!r}; use one of: "
                + ", ".join(short_name(m) for m in offered)
            )
        media = fmt.media_type
    if media not in offered:
        raise NotAcceptable(
            f"format {requested!r} is not offered here; available: {', '.join(offered)}"
        )
    return media


def short_name(media_type: str) -> str:
    """The ``format`` parameter value that selects a media type."""
    if media_type == HTML:
        return "html"
    fmt = formats.lookup(media_type)
    return fmt.name if fmt else media_type


def last_modified() -> datetime:
    version = state().store.version()
    with _seen_lock:
        if version not in _seen:
            _seen[version] = datetime.now(UTC).replace(microsecond=0)
        return _seen[version]


def cacheable(resp: Response, vary_accept: bool = True) -> Response:
    """Validators and caching headers; turns the response into a 304 when the client is current."""
    body = resp.get_data()
    resp.set_etag(http.entity_tag(body))
    resp.last_modified = last_modified()
    resp.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    if vary_accept:
        resp.vary.add("Accept")
    resp.make_conditional(request)  # sets 304 in place when the client is current
    return resp


#: what browser apps may read of the read-only views' answers
READ_ONLY_EXPOSED = "ETag, Last-Modified, Link, Location"


def allow_cors(blueprint: Blueprint) -> None:
    """Let browser apps on any origin read these public, read-only responses."""

    @blueprint.after_request
    def _cors(resp: Response) -> Response:
        if request.method != "OPTIONS":
            return http.cors(resp, READ_ONLY_EXPOSED)
        resp.headers["Access-Control-Max-Age"] = "86400"
        return http.cors(
            resp,
            READ_ONLY_EXPOSED,
            methods="GET, HEAD, OPTIONS",
            allow_headers="Accept, If-None-Match, If-Modified-Since",
        )


def local_href(iri: str) -> str | None:
    """Where a page links an IRI: IRIs under the canonical base map to local paths, other
    ``http(s)`` IRIs link to themselves, and any other IRI (``javascript:``, ``data:``,
    ``file:``…, which anyone writing data can choose) is no link at all: None."""
    base = state().settings.base_iri
    if iri.startswith(base):
        return request.script_root + "/" + iri[len(base) :]
    return iri if linkable(iri) else None


def graph_tag(graph: str) -> str:
    """How a page names the graph a fact comes from: a source graph by its short name, anything
    else as what it is (a submission, a curator's graph), so no curator graph can pass for a
    source graph by ending in the same word."""
    from gcm_kg import iris

    if graph.startswith(iris.ID + "graph/"):
        return graph[len(iris.ID + "graph/") :]
    if graph.startswith(iris.ID + "submission/"):
        return "submission " + graph.rsplit("/", 1)[-1]
    return "curator graph " + (graph if len(graph) <= 80 else graph[:80] + "…")


def linkable(iri: str) -> bool:
    """An absolute ``http:`` or ``https:`` IRI (the scheme in any case), the only ones linked."""
    scheme, colon, rest = iri.partition(":")
    return bool(colon) and scheme.lower() in ("http", "https") and rest.startswith("//")


def public_url(path: str) -> str:
    """This server's URL of a local path, from the settings (``GCM_KG_PUBLIC_URL``), never from
    the request's Host header, which the client chooses."""
    return state().settings.site_url + path.lstrip("/")


def canonical_iri(path: str) -> str:
    """The canonical IRI a local path stands for (the inverse of ``local_href``)."""
    return state().settings.base_iri + path.lstrip("/")
