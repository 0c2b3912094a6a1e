"""The one gate every RDF document from outside passes before a parser sees it.

Why each rule exists (measured on rdflib 7.6 and pyoxigraph 0.5.13):

- RDF/XML may declare entities in a DOCTYPE: a few hundred bytes of nested entities ("billion
  laughs") cost rdflib 15 s of CPU and made pyoxigraph allocate about 4 GB; external entities
  read local files or fetch URLs. Any DOCTYPE is refused, found both in the bytes (with NULs
  dropped, so UTF-16 cannot hide it) and by expat itself (any encoding expat reads).
- JSON-LD may name a remote ``@context`` (also in an array, an ``@import`` or a scoped context
  deep inside the document): rdflib fetches it (server-side request forgery); pyoxigraph has no
  loader and fails. Remote contexts are refused with a clear message, except our own published
  context, which is put inline from the copy in this package: nothing is ever fetched.
- pyoxigraph's JSON-LD parser crashes the process (stack overflow) at about 4,000 nested
  objects and takes quadratic time below that (2 s at 3,000); its RDF/XML parser takes
  quadratic time in element depth (1.3 s at 16,000 levels, 106 s at 100,000). Nesting deeper
  than ``MAX_DEPTH`` is refused before parsing. Turtle and TriG nest in linear time.

Document size is bounded where documents arrive (``GCM_KG_MAX_BODY`` for HTTP bodies); a
literal cannot be larger than its document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from xml.parsers import expat

import pyoxigraph as ox

from gcm_kg.config import DEFAULT_BASE
from gcm_kg.errors import BadRequest, UnreadableRDF
from gcm_kg.rdf.own_context import CONTEXT_FILE, context_url

#: levels of JSON objects and arrays, or of XML elements, a document may nest
MAX_DEPTH = 100

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def screen(
    data: bytes, fmt: ox.RdfFormat, source: str = "input", own_contexts: tuple[str, ...] = ()
) -> bytes:
    """Refuse what no parser may see; return the bytes to parse (our context put inline).

    ``own_contexts`` adds published URLs of our context (under another base IRI).
    """
    if fmt == ox.RdfFormat.RDF_XML:
        _screen_xml(data, source)
    elif fmt == ox.RdfFormat.JSON_LD:
        return _screen_jsonld(data, source, (own_context_url(), *own_contexts))
    return data


def parse(
    data: bytes,
    fmt: ox.RdfFormat,
    source: str = "input",
    *,
    rename_blank_nodes: bool = False,
    own_contexts: tuple[str, ...] = (),
) -> list[ox.Quad]:
    """Screen, then parse with pyoxigraph (which never touches the network)."""
    safe = screen(data, fmt, source, own_contexts)
    try:
        return list(ox.parse(safe, format=fmt, rename_blank_nodes=rename_blank_nodes))
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        column = exc.offset if isinstance(exc.offset, int) else None
        raise UnreadableRDF(str(exc.msg), source, line, column) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadableRDF(str(exc), source) from None


def own_context_url() -> str:
    return context_url(DEFAULT_BASE)


# -- RDF/XML ---------------------------------------------------------------------------------
class _Refused(Exception):
    """Raised from inside expat's callbacks to stop it at the first refused construct."""


def _screen_xml(data: bytes, source: str) -> None:
    if _DOCTYPE.search(data.replace(b"\x00", b"")):
        raise UnreadableRDF("RDF/XML with a DOCTYPE or ENTITY declaration is refused", source)
    parser = expat.ParserCreate()
    depth = 0

    def start(name: str, attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(f"XML elements nest more than {MAX_DEPTH} levels deep")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*args: object) -> None:
        raise _Refused("RDF/XML with a DOCTYPE or ENTITY declaration is refused")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise UnreadableRDF(str(exc), source) from None
    except (expat.ExpatError, ValueError):
        pass  # malformed XML: the RDF parser reports it with line and column


# -- JSON-LD ---------------------------------------------------------------------------------
@cache
def _own_context() -> Any:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _screen_jsonld(data: bytes, source: str, own: tuple[str, ...]) -> bytes:
    try:
        doc = json.loads(data)
    except RecursionError:
        raise UnreadableRDF(f"JSON nests more than {MAX_DEPTH} levels deep", source) from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        raise UnreadableRDF(f"not JSON: {getattr(exc, 'msg', exc)}", source, line, col) from None
    if _depth(doc) > MAX_DEPTH:
        raise UnreadableRDF(f"JSON nests more than {MAX_DEPTH} levels deep", source)
    changed = False
    for holder, key, value in _contexts(doc):
        inlined = _context_value(value, source, own)
        if inlined is not value:
            holder[key] = inlined
            changed = True
    return json.dumps(doc).encode("utf-8") if changed else data


def _depth(doc: Any) -> int:
    deepest = 0
    stack = [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((c, level + 1) for c in children)
    return deepest


def _contexts(doc: Any) -> Iterator[tuple[dict[str, Any], str, Any]]:
    """Every ``@context`` entry anywhere in the document (node objects, scoped contexts)."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    yield node, key, value
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _context_value(value: Any, source: str, own: tuple[str, ...]) -> Any:
    """The context with our own context put inline; refuse any other reference to load."""
    if isinstance(value, str):
        if value in own:
            return _own_context()
        raise UnreadableRDF(
            f"the JSON-LD @context {value!r} would have to be fetched; remote contexts are "
            f"never fetched: put the context inline (or use {own[0]})",
            source,
        )
    if isinstance(value, list):
        items = [_context_value(v, source, own) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict) and "@import" in value:
        raise UnreadableRDF(
            f"the JSON-LD @import {value['@import']!r} would have to be fetched; remote "
            "contexts are never fetched",
            source,
        )
    return value


def quads_for_store(
    data: bytes, fmt: ox.RdfFormat, media_type: str, graph: str | None
) -> list[ox.Quad]:
    """A whole document parsed (safely) before anything is written; triples go to ``graph``.

    Every store's ``load`` reads untrusted RDF through this one step, so bad data or triples
    without a graph are refused the same way on every backend and leave the store unchanged.
    """
    try:
        parsed = parse(data, fmt, media_type, rename_blank_nodes=True)
    except UnreadableRDF as exc:
        raise BadRequest(f"cannot parse {exc.detail}") from None
    target = ox.NamedNode(graph) if graph is not None else None
    quads = []
    for q in parsed:
        if isinstance(q.graph_name, ox.DefaultGraph):
            if target is None:
                raise BadRequest("triples without a graph need a target graph")
            q = ox.Quad(q.subject, q.predicate, q.object, target)
        quads.append(q)
    return quads
