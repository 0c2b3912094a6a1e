"""SPARQL 1.1 Protocol request parsing as a pure function: request parts in, a ParsedRequest out.

Kept apart from Flask so every rule of the protocol is tested without a server: query by GET,
by POST form-encoded and by POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; strict about what is ambiguous (a query given twice or in both the URL and
the body), about media types (415) and sizes (413). Updates are refused: this is a read endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from gcm_kg.errors import (
    BadRequest,
    MethodNotAllowed,
    PayloadTooLarge,
    ReadOnly,
    UnsupportedMediaType,
)

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
METHODS = ("GET", "HEAD", "POST")

#: parameters that pick the response format; SPARQLWrapper sends all of these, Fuseki reads output
FORMAT_PARAMS = ("format", "output")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_WRITES = ("update", "using-graph-uri", "using-named-graph-uri")


@dataclass(frozen=True)
class ParsedRequest:
    """What a protocol request asks for; ``query`` is None for a bare GET (service description)."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None  # the raw value of format= / output=, resolved by negotiation
    timeout: float | None = None  # a client's own time limit in seconds (capped by the server's)

    @property
    def has_dataset(self) -> bool:
        """True when the protocol names the dataset (it then replaces FROM / FROM NAMED)."""
        return bool(self.default_graphs or self.named_graphs)


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """Split a Content-Type header into the lower-cased media type and its parameters."""
    if not content_type:
        return "", {}
    head, *rest = content_type.split(";")
    params = {}
    for p in rest:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return head.strip().lower(), params


def pairs_of(raw: bytes | str, where: str) -> list[tuple[str, str]]:
    """Decode a query string or form body strictly: bad percent-encoded UTF-8 is a 400."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the {where} is not valid UTF-8 percent-encoding") from None


def _utf8(params: dict[str, str], what: str) -> None:
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"{what} must be UTF-8 encoded; got charset={charset}")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the request body is not valid UTF-8 (byte {exc.start})") from None


def single(pairs: Sequence[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise BadRequest(f"parameter {name!r} given {len(values)} times; give it once")
    return values[0] if values else None


def format_param(pairs: Sequence[tuple[str, str]]) -> str | None:
    """format= / output=: repeats are fine when they agree (SPARQLWrapper sends name and type)."""
    values = [v.strip() for k, v in pairs if k in FORMAT_PARAMS and v.strip()]
    if not values:
        return None
    from gcm_kg.formats import GRAPH, RESULTS, resolve

    meanings = {(resolve(v, RESULTS), resolve(v, GRAPH)) for v in values}
    if len(meanings) > 1:
        raise BadRequest(f"conflicting format parameters: {', '.join(values)}")
    return values[0]


def _graphs(pairs: Sequence[tuple[str, str]], name: str) -> tuple[str, ...]:
    values = tuple(v.strip() for k, v in pairs if k == name)
    for v in values:
        if not _IRI.fullmatch(v):
            raise BadRequest(f"{name} must be an absolute IRI; got {v!r}")
    return values


def timeout_param(pairs: Sequence[tuple[str, str]]) -> float | None:
    raw = single(pairs, "timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise BadRequest(f"timeout must be a positive number of seconds; got {raw!r}")
    return value


def parse_request(
    method: str,
    query_string: bytes | str,
    content_type: str | None,
    body: bytes,
    *,
    max_body: int,
    max_query_length: int,
) -> ParsedRequest:
    """Parse one SPARQL Protocol query request, or raise the typed error that answers it."""
    method = method.upper()
    if method not in METHODS:
        raise MethodNotAllowed(f"{method} is not a SPARQL query operation; use GET or POST")
    url = pairs_of(query_string, "query string")
    if any(k in _WRITES for k, _ in url):
        raise ReadOnly("this endpoint answers queries only; SPARQL Update is not accepted here")
    if len(body) > max_body:
        raise PayloadTooLarge(f"the request body exceeds {max_body} bytes")
    pairs = list(url)
    query = single(url, "query")
    if method == "POST":
        kind, params = media_type(content_type)
        if kind == UPDATE:
            raise ReadOnly("this endpoint answers queries only; SPARQL Update is not accepted here")
        if kind == FORM:
            _utf8(params, "a form-encoded body")
            form = pairs_of(body, "form body")
            if any(k in _WRITES for k, _ in form):
                raise ReadOnly(
                    "this endpoint answers queries only; SPARQL Update is not accepted here"
                )
            in_body = single(form, "query")
            if query is not None and in_body is not None:
                raise BadRequest("the query is given both in the URL and in the body; give it once")
            query = in_body if in_body is not None else query
            pairs += form
        elif kind == QUERY:
            _utf8(params, "a SPARQL query body")
            if query is not None:
                raise BadRequest("the query is given both in the URL and in the body; give it once")
            query = _decode(body)
        elif not kind:
            raise UnsupportedMediaType(
                f"a POST needs a Content-Type: {FORM} or {QUERY}; none was given"
            )
        else:
            raise UnsupportedMediaType(f"cannot read a query from {kind}; send {FORM} or {QUERY}")
        if query is None:
            raise BadRequest("the POST carries no query")
    if query is not None:
        if not query.strip():
            raise BadRequest("the query is empty")
        if len(query) > max_query_length:
            raise PayloadTooLarge(
                f"the query has {len(query)} characters; at most {max_query_length} are accepted"
            )
    return ParsedRequest(
        query=query,
        default_graphs=_graphs(pairs, "default-graph-uri"),
        named_graphs=_graphs(pairs, "named-graph-uri"),
        format=format_param(pairs),
        timeout=timeout_param(pairs),
    )
