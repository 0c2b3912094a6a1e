"""HTTP details the blueprints share: CORS headers, the request body within its limit, and the
entity tag of a representation.

One writer each, so the read-only views, the SPARQL endpoints and the write endpoints cannot
drift apart (they differ only in which headers they expose and which methods they allow).
"""

from __future__ import annotations

import hashlib

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from gcm_kg.errors import PayloadTooLarge


def cors(
    resp: Response,
    expose: str,
    *,
    methods: str | None = None,
    allow_headers: str | None = None,
) -> Response:
    """Let browser apps on any origin read ``resp`` and the ``expose`` headers; a preflight
    answer also names the ``methods`` and request headers allowed."""
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = expose
    if methods is not None:
        resp.headers["Access-Control-Allow-Methods"] = methods
    if allow_headers is not None:
        resp.headers["Access-Control-Allow-Headers"] = allow_headers
    return resp


def read_body(limit: int, *, keep: bool = False) -> bytes:
    """The request body, at most ``limit`` bytes (PayloadTooLarge, 413, beyond it), whether the
    client declared its length or sent it in chunks. ``keep``: Flask keeps it for another read."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes")
    try:
        return request.get_data(cache=keep)
    except RequestEntityTooLarge:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes") from None


def entity_tag(data: bytes) -> str:
    """The ETag value of a representation (or of what determines it): SHA-256, 32 hex digits."""
    return hashlib.sha256(data).hexdigest()[:32]
