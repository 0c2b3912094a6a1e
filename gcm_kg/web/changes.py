"""``/changes``: the change feed (ActivityStreams 2.0 ``OrderedCollection``), see
``gcm_kg.linked.changes``. Paged (``?page=``), newest first, ``?since=`` an ISO 8601 time
(activities published at or after it: times have whole seconds, so a portal keeps the ids it
applied and skips them when they come again)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, Response, request

from gcm_kg.errors import NotFound, ParameterError
from gcm_kg.linked import changes
from gcm_kg.web.accept import negotiate
from gcm_kg.web.app import state
from gcm_kg.web.common import allow_cors, last_modified, public_url, single_arg
from gcm_kg.web.http import entity_tag

bp = Blueprint("changes", __name__)
allow_cors(bp)

OFFERED = ["application/ld+json", "application/activity+json", "application/json"]
MAX_PAGE = 1_000_000


@bp.get("/changes")
def feed() -> Response:
    media = negotiate(request.headers.get("Accept"), OFFERED)
    number = _page_number(single_arg("page"))
    since_text = single_arg("since")
    since = _since(since_text) if since_text is not None else None
    store = state().store
    items = changes.activities(store)
    if since is not None:
        items = [a for a in items if a.published >= since]
    url = public_url("changes")
    last = max(1, -(-len(items) // changes.PAGE_SIZE))
    if number is not None and number > last:
        raise NotFound(f"page {number} is past the last page ({last}) of {len(items)} activities")
    doc = changes.page(items, url, number, since_text)
    body = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    resp = Response(body, mimetype=media)
    if media == "application/ld+json":
        resp.headers["Content-Type"] = (
            'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
        )
    resp.set_etag(entity_tag(body))
    resp.last_modified = items[0].published if items else last_modified()
    resp.headers["Cache-Control"] = "no-cache"  # revalidate: the feed changes with every write
    resp.vary.add("Accept")
    resp.make_conditional(request)
    return resp


def _page_number(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise ParameterError(f"page must be a whole number from 1 to {MAX_PAGE}, not {value!r}")
    return int(value)


def _since(value: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ParameterError(
            f"since must be an ISO 8601 time such as 2026-01-31T12:00:00Z, not {value[:40]!r}"
        ) from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
