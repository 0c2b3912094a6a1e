"""``/ontology``: the ontology for people (HTML with a class diagram) and for machines (RDF).

Content negotiation over the one format table: browsers get the HTML page, RDF clients
Turtle (the edited source file itself), RDF/XML, JSON-LD or N-Triples. ``/ontology.ttl`` and
the like, or ``?format=``, pick a format without an Accept header; the version IRI
(``/ontology/0.2.0``) answers while it is the current version. The page and the diagram are
rebuilt when the ontology file or the store changes, otherwise served from memory.
"""

from __future__ import annotations

import threading

from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import OWL, Graph, URIRef

from gcm_kg import formats, iris
from gcm_kg.errors import NotAcceptable, NotFound
from gcm_kg.web.accept import negotiate
from gcm_kg.web.app import state

bp = Blueprint("ontology", __name__)

HTML = "text/html"
RDF_NAMES = ("turtle", "rdfxml", "jsonld", "ntriples")
# Turtle first: a client that accepts anything gets RDF; browsers ask for HTML by name.
OFFERED = (
    [formats.BY_NAME[n].media_type for n in RDF_NAMES[:1]]
    + [HTML]
    + [formats.BY_NAME[n].media_type for n in RDF_NAMES[1:]]
)
EXTENSIONS = (
    {"html": HTML}
    | {
        ext: formats.BY_NAME[n].media_type
        for n in RDF_NAMES
        for ext in (formats.BY_NAME[n].extension,)
    }
    | {"owl": formats.BY_NAME["rdfxml"].media_type}
)

_lock = threading.Lock()


class _Cache:
    """Representations of one state of the ontology file and the store."""

    def __init__(self, key: tuple[object, ...], source: bytes) -> None:
        self.key = key
        self.source = source
        self.graph = Graph().parse(data=source, format="turtle")
        self.bodies: dict[str, bytes] = {}


def _cache() -> _Cache:
    settings, store = state().settings, state().store
    path = settings.ontology_file
    try:
        key = (str(path), path.stat().st_mtime_ns, store.version())
    except OSError:
        raise NotFound("the ontology file is missing on this server") from None
    with _lock:
        cache = current_app.extensions.get("gcm_kg.ontology")
        if cache is None or cache.key != key:
            cache = _Cache(key, path.read_bytes())
            current_app.extensions["gcm_kg.ontology"] = cache
        return cache  # type: ignore[no-any-return]


def _body(cache: _Cache, media_type: str) -> bytes:
    with _lock:
        if media_type not in cache.bodies:
            cache.bodies[media_type] = _render(cache, media_type)
        return cache.bodies[media_type]


def _render(cache: _Cache, media_type: str) -> bytes:
    from gcm_kg.ontology_page import diagram, document

    if media_type == "image/svg+xml":
        return diagram.render(cache.graph).encode("utf-8")
    if media_type == HTML:
        settings = state().settings
        changelog_file = settings.ontology_file.parent / "CHANGELOG.md"
        changelog = changelog_file.read_text(encoding="utf-8") if changelog_file.is_file() else ""
        doc = document.describe(cache.graph, state().store, changelog)
        svg = _body_unlocked(cache, "image/svg+xml").decode("utf-8")
        downloads = {
            "Turtle": url_for("ontology.by_extension", ext="ttl"),
            "RDF/XML": url_for("ontology.by_extension", ext="rdf"),
            "JSON-LD": url_for("ontology.by_extension", ext="jsonld"),
            "N-Triples": url_for("ontology.by_extension", ext="nt"),
            "diagram (SVG)": url_for("ontology.diagram"),
        }
        html = render_template(
            "ontology.html",
            doc=doc,
            names=document.Names(doc),
            changelog=document.changelog_blocks(doc.changelog),
            svg=svg,
            downloads=downloads,
        )
        return html.encode("utf-8")
    fmt = formats.BY_MEDIA_TYPE[media_type]
    if fmt.name == "turtle":
        return cache.source
    return cache.graph.serialize(format=fmt.rdflib, encoding="utf-8")  # type: ignore[arg-type]


def _body_unlocked(cache: _Cache, media_type: str) -> bytes:
    """For use while ``_lock`` is held (the HTML page embeds the diagram)."""
    if media_type not in cache.bodies:
        cache.bodies[media_type] = _render(cache, media_type)
    return cache.bodies[media_type]


def _respond(media_type: str, *, negotiated: bool) -> Response:
    body = _body(_cache(), media_type)
    charset = "; charset=utf-8" if media_type.startswith(("text/", "application/")) else ""
    resp = Response(body, content_type=media_type + charset)
    if negotiated:
        resp.headers["Vary"] = "Accept"
    resp.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    resp.add_etag()
    return resp.make_conditional(request)  # type: ignore[return-value]


def _chosen() -> tuple[str, bool]:
    """The media type to send: ``?format=`` if given, else from the Accept header."""
    wanted = request.args.get("format")
    if wanted is None:
        return negotiate(request.headers.get("Accept"), OFFERED), True
    if wanted.lower() in ("html", HTML):
        return HTML, False
    fmt = formats.lookup(wanted)
    if fmt is None or fmt.media_type not in OFFERED:
        raise NotAcceptable(
            f"format {wanted!r} is not offered here; use html, turtle, rdfxml, jsonld or ntriples"
        )
    return fmt.media_type, False


@bp.get("/ontology")
def ontology() -> Response:
    media_type, negotiated = _chosen()
    return _respond(media_type, negotiated=negotiated)


@bp.get("/ontology.<ext>")
def by_extension(ext: str) -> Response:
    media_type = EXTENSIONS.get(ext.lower())
    if media_type is None:
        raise NotFound(f"no /ontology.{ext}; try .html, .ttl, .rdf, .jsonld or .nt")
    return _respond(media_type, negotiated=False)


@bp.get("/ontology/diagram.svg")
def diagram() -> Response:
    return _respond("image/svg+xml", negotiated=False)


@bp.get("/ontology/<version>")
def version(version: str) -> Response:
    """The version IRI answers with the ontology while that version is the current one."""
    current = _cache().graph.value(URIRef(iris.ONTOLOGY), OWL.versionInfo)
    if str(current) != version:
        raise NotFound(
            f"version {version} of the ontology is not served here; the current one is "
            f"{current} (see /ontology#changelog)"
        )
    media_type, negotiated = _chosen()
    return _respond(media_type, negotiated=negotiated)
