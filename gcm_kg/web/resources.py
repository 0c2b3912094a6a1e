"""``/id/...``: every canonical IRI dereferences here, with content negotiation.

The local path ``/id/objective/20`` stands for ``{base_iri}id/objective/20`` (the base is
configurable, so a deployment on another host still answers for the canonical IRIs). Only
paths made of the IRI contract's characters reach the store; anything else is a 404.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import URIRef

from gcm_kg import formats
from gcm_kg.errors import NotFound
from gcm_kg.linked import language
from gcm_kg.linked import page as pages
from gcm_kg.linked.context import context_url
from gcm_kg.linked.describe import describe
from gcm_kg.linked.rdf import serialize
from gcm_kg.linked.views import build_view
from gcm_kg.web.app import state
from gcm_kg.web.common import (
    HTML,
    allow_cors,
    cacheable,
    canonical_iri,
    choose,
    graph_tag,
    local_href,
    single_arg,
)
from gcm_kg.web.common import short_name as _short

bp = Blueprint("resources", __name__)
allow_cors(bp)

#: lower-case slugs and numbers separated by single slashes: the IRI contract's alphabet
_ID_PATH = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*){1,7}$")
_GENID = re.compile(r"^[0-9a-f]{8,64}$")
MAX_PATH = 300
JSON = "application/json"
JSONLD = "application/ld+json"
JSONLD_CONTEXT = "http://www.w3.org/ns/json-ld#context"

OFFERED = [
    "text/turtle",
    "application/ld+json",
    HTML,
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
    "application/json",  # for portals that ask for plain JSON: the same framed JSON-LD
]

_SUGGESTIONS = {
    "objective": "Objectives are numbered 1 to 23.",
    "round-table": "Round tables are numbered 1 to 4.",
    "principle": "Guiding principles are named by slug, e.g. child-sensitive.",
    "actor": "States use their ISO 3166 alpha-3 code in lower case, e.g. mex.",
    "declaration": "Progress Declaration paragraphs: declaration/imrf-2022/paragraph/1 to 77.",
}


@bp.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    if len(rest) > MAX_PATH or not _ID_PATH.fullmatch(rest):
        return _not_found(
            "/id/" + rest[:MAX_PATH], "This is not a gcm-kg IRI: they use only a-z, 0-9, - and /."
        )
    return _answer("id/" + rest)


@bp.get("/.well-known/genid/<string:key>")
def genid(key: str) -> Response:
    """Skolem IRIs that stand for blank nodes of a source (RFC 7511 style)."""
    if not _GENID.fullmatch(key):
        return _not_found("/.well-known/genid/" + key[:80], "Not a skolem IRI of this graph.")
    return _answer(".well-known/genid/" + key)


def _answer(path: str) -> Response:
    media = choose(OFFERED)
    said = language.choose(single_arg("lang"), request.headers.get("Accept-Language"))
    framed = media in (HTML, JSONLD, JSON)  # these choose a language; full RDF keeps them all
    iri = URIRef(canonical_iri(path))
    store = state().store
    desc = describe(store, iri, said.lang if framed else language.DEFAULT)
    if not desc.exists:
        return _not_found("/" + path, "", media)
    if media == HTML:
        page = pages.build_page(store, desc, said.lang)
        view = build_view(store, desc, said.lang)
        template = f"resource/{view.template}.html" if view else "resource.html"
        body = render_template(
            template,
            page=page,
            view=view,
            views=_views(),
            languages=_languages(said.lang),
            href=local_href,
            tag=graph_tag,
        )
        resp = Response(body, mimetype=HTML)
        # the page's own words are English; the data's names are in the chosen language
        resp.headers["Content-Language"] = ", ".join(dict.fromkeys([said.lang, "en"]))
    else:
        fmt = formats.BY_NAME["jsonld"] if media == JSON else formats.lookup(media)
        assert fmt is not None  # every offered non-HTML type is in the format table
        if framed and said.asked:
            desc = language.in_language(desc, said.lang)
            resp = Response(serialize(desc, fmt, state().settings.base_iri), mimetype=media)
            resp.headers["Content-Language"] = said.lang
        else:
            resp = Response(serialize(desc, fmt, state().settings.base_iri), mimetype=media)
    resp.headers["Link"] = ", ".join(link_header(iri, "/" + path, media))
    resp.vary.add("Accept-Language")
    return cacheable(resp)


def _languages(current: str) -> list[tuple[str, str, bool]]:
    """Links to this page in each language the data has names in: (tag, href, current)."""
    names = {"en": "English", "fr": "Français", "es": "Español"}
    return [(names[t], f"{request.path}?lang={t}", t == current) for t in language.AVAILABLE]


def link_header(iri: str, path: str, media: str) -> list[str]:
    """The ``Link`` values of a description: its canonical IRI, every other representation
    (``alternate`` with its type), the JSON-LD context, and the dataset it belongs to, so a
    client that got one format can find the others without guessing URLs."""
    here = request.script_root + path
    links = [f'<{iri}>; rel="canonical"']
    for other in OFFERED:
        if other not in (media, JSON):
            links.append(f'<{here}?format={_short(other)}>; rel="alternate"; type="{other}"')
    context = context_url(state().settings.base_iri)
    links.append(f'<{context}>; rel="{JSONLD_CONTEXT}"; type="application/ld+json"')
    void = url_for("dataset.void")
    links.append(f'<{void}>; rel="describedby"')
    return links


class _View:
    def __init__(self, media_type: str) -> None:
        self.media_type = media_type
        self.name = _short(media_type)
        self.href = request.path + "?format=" + self.name


def _views() -> list[_View]:
    return [_View(m) for m in OFFERED if m not in (HTML, JSON)]


def _not_found(path: str, detail: str, media: str | None = None) -> Response:
    """A helpful HTML page for people; a problem document for programs."""
    kind = path.split("/")[2] if path.startswith("/id/") and path.count("/") >= 2 else ""
    hint = detail or _SUGGESTIONS.get(kind, "")
    message = f"no resource {path}" + (f"; {hint}" if hint else "")
    if media is None:
        accept = request.headers.get("Accept", "")
        media = HTML if "text/html" in accept else None
    if media != HTML:
        raise NotFound(message)
    suggestions = [
        ("Home", url_for("pages.home")),
        ("All objectives", url_for("pages.browse", kind="objectives")),
        ("All round tables", url_for("pages.browse", kind="round-tables")),
        ("All declaration paragraphs", url_for("pages.browse", kind="paragraphs")),
    ]
    body = render_template(
        "not_found.html",
        iri=canonical_iri(path) if path.startswith("/id/") else path,
        detail=hint,
        suggestions=suggestions,
    )
    return Response(body, status=404, mimetype=HTML)
