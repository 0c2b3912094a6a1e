"""What every write endpoint shares: the curator's token, strict parameters, the body, errors.

Every authenticated write attempt is audited: failures before the write reaches the store's
write path (a bad body, a refused parameter, a missing right) here; everything after by that
write path itself. Attempts without a valid token are only counted (``audit.count``).
Rejections by the shapes (422) answer with the validation report: JSON by default (the JSON of
``gcm-kg validate --output json`` as the ``report`` member of a problem document), the report as
Turtle (``Accept: text/turtle``) or as text (``Accept: text/plain``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, request

from gcm_kg import formats
from gcm_kg.errors import (
    BadRequest,
    GcmKgError,
    UnreadableRDF,
    UnsupportedMediaType,
)
from gcm_kg.validate.parse import parse_bytes
from gcm_kg.web import http
from gcm_kg.web.accept import negotiate
from gcm_kg.web.app import state
from gcm_kg.web.problems import problem
from gcm_kg.writes import audit, auth, limits
from gcm_kg.writes.checks import ShaclReport
from gcm_kg.writes.commit import Rejected

#: the RDF syntaxes a write accepts, by media type
RDF_INPUT = [f.media_type for f in formats.for_graphs()]
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


@dataclass
class Attempt:
    action: str
    fields: dict[str, object] = field(default_factory=dict)
    curator: str | None = None
    handed_over: bool = False  # the write path now audits the outcome itself

    def authenticate(self, right: str) -> auth.Curator:
        settings = state().settings
        try:
            who = auth.authenticate(
                settings.curator_tokens, request.headers.get("Authorization"), right
            )
        except auth.Forbidden as exc:
            self.curator = exc.curator
            raise
        self.curator = who.name
        return who


@contextmanager
def attempt(action: str, **fields: object) -> Iterator[Attempt]:
    """Audit a write attempt that fails before its write path takes over."""
    a = Attempt(action, dict(fields))
    try:
        yield a
    except GcmKgError as exc:
        if a.curator is None:  # nobody authenticated: counted, not logged (anyone can send it)
            audit.count("unauthenticated")
        elif not a.handed_over:
            audit.record(
                state().settings.audit_log,
                action=action,
                curator=a.curator,
                outcome="rejected",
                status=exc.status,
                reason=exc.detail,
                **a.fields,
            )
        raise


def params(allowed: tuple[str, ...]) -> dict[str, str]:
    """The query parameters, strictly: each known one at most once, no unknown one."""
    args = request.args
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise BadRequest(
            f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(allowed) or 'none'}"
        )
    for name in args:
        if len(args.getlist(name)) > 1:
            raise BadRequest(f"parameter {name} given more than once")
    return {k: args[k] for k in args}


def flag(values: dict[str, str], name: str) -> bool:
    value = values.get(name, "false").strip().lower()
    if value not in _TRUE | _FALSE:
        raise BadRequest(f"{name} takes true or false, not {values[name]!r}")
    return value in _TRUE


def body_bytes() -> bytes:
    """The request body, within the size limit (413 as a problem document beyond it)."""
    return http.read_body(state().settings.max_body, keep=True)


def rdf_format(content_type: str | None) -> formats.Format:
    """The RDF syntax a Content-Type names (415 for anything else, or another charset)."""
    if not content_type:
        raise UnsupportedMediaType(
            f"say the syntax of the body with Content-Type: one of {', '.join(RDF_INPUT)}"
        )
    media, _, rest = content_type.partition(";")
    fmt = formats.BY_MEDIA_TYPE.get(media.strip().lower())
    if fmt is None or fmt.serves != formats.GRAPH or media.strip().lower() == "text/plain":
        raise UnsupportedMediaType(
            f"cannot read {media.strip() or 'an empty type'}; send one of {', '.join(RDF_INPUT)}"
        )
    for param in rest.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            raise UnsupportedMediaType(f"send the body as UTF-8, not {value.strip()}")
    return fmt


def rdf_body() -> list[ox.Triple]:
    """The body parsed as RDF (400 with line and column when it cannot be read)."""
    fmt = rdf_format(request.headers.get("Content-Type"))
    return parse_bytes(body_bytes(), fmt, "request body")


def bounded(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples of a write, if within the per-write limits (413 naming the limit)."""
    settings = state().settings
    limits.check(triples, settings.max_write_triples, settings.max_list_length)
    return triples


def json_response(body: dict[str, object], status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2) + "\n",
        status=status,
        mimetype="application/json",
    )


def register(bp: Blueprint) -> None:
    """Error answers of the write endpoints: the report for 422, line and column for 400."""

    @bp.errorhandler(Rejected)
    def _rejected(exc: Rejected) -> Response:
        inner = exc.report.inner if isinstance(exc.report, ShaclReport) else None
        offered = ["application/problem+json", "application/json"]
        if inner is not None:
            offered += ["text/turtle", "text/plain"]
        try:
            chosen = negotiate(request.headers.get("Accept"), offered)
        except GcmKgError:
            chosen = offered[0]
        if inner is not None and chosen == "text/turtle":
            return Response(inner.turtle(), 422, mimetype="text/turtle")
        if inner is not None and chosen == "text/plain":
            return Response(f"{exc.detail}\n\n{inner.text()}", 422, mimetype="text/plain")
        doc = {
            "type": "about:blank",
            "title": exc.title,
            "status": 422,
            "detail": exc.detail,
            "report": exc.report.to_json(),
        }
        resp = json_response(doc, 422)
        resp.mimetype = "application/problem+json"
        return resp

    @bp.errorhandler(UnreadableRDF)
    def _unreadable(exc: UnreadableRDF) -> Response:
        resp = problem(exc.status, exc.title, exc.detail)
        if resp.mimetype == "application/problem+json":
            doc = json.loads(resp.get_data())
            doc.update({"line": exc.line, "column": exc.column})
            resp.set_data(json.dumps(doc, ensure_ascii=False))
        return resp
