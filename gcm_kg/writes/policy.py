"""Which graphs a curator may write, and why the others are refused.

* the **default graph** is the union of all named graphs (every fact lives in the named graph it
  came from): it can be read, never written (405);
* **source graphs** ``id/graph/…`` are built from the source documents by ``gcm-kg build``
  (and hold the submission records): nobody edits them over HTTP (403);
* **submission graphs** ``id/submission/{id}`` are immutable: a curator may retract one
  (DELETE) and submit again, never change it in place (403);
* every other IRI under the project's base is minted by gcm-kg only (403);
* any other absolute IRI names a **curator graph**: the first curator to write it owns it, and
  only its owner may write it again (403 for anyone else).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from rdflib import URIRef

from gcm_kg import iris
from gcm_kg.errors import BadRequest, MethodNotAllowed
from gcm_kg.store import Store
from gcm_kg.writes.auth import Forbidden

#: an absolute IRI (RFC 3987 scheme, then no character that IRIs forbid)
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_SUBMISSION = re.compile(r"[0-9]{8}t[0-9]{6}z-[0-9a-f]{8}")


class Kind(Enum):
    DEFAULT = "default graph"
    SOURCE = "source graph"
    SUBMISSION = "submission graph"
    RESERVED = "gcm-kg IRI"
    CURATOR = "curator graph"


def graph_iri(value: str) -> URIRef:
    """A graph IRI from a request: absolute, with no character IRIs forbid."""
    if not _IRI.fullmatch(value):
        raise BadRequest(f"graph {value!r} is not an absolute IRI")
    return URIRef(value)


def normalised(iri: str) -> str:
    """The IRI with its scheme and (for ``scheme://host/…``) its host in lower case."""
    scheme, colon, rest = iri.partition(":")
    if not colon:
        return iri
    if rest.startswith("//"):
        host, slash, path = rest[2:].partition("/")
        return f"{scheme.lower()}://{host.lower()}{slash}{path}"
    return f"{scheme.lower()}:{rest}"


def classify(graph: URIRef | None, bases: Sequence[str] = ()) -> Kind:
    """The kind of a graph; ``None`` is the default graph; ``bases`` are extra public bases."""
    if graph is None:
        return Kind.DEFAULT
    text = str(graph)
    normal = normalised(text)
    if normal != text:  # HTTPS://W3ID.ORG/… is the base too, and would pass for another graph
        raise BadRequest(
            f"write the graph IRI's scheme and host in lower case: <{normal}>, not <{text}>"
        )
    if text.startswith(iris.ID + "graph/"):
        return Kind.SOURCE
    prefix = iris.ID + "submission/"
    if text.startswith(prefix) and _SUBMISSION.fullmatch(text[len(prefix) :]):
        return Kind.SUBMISSION
    if any(text.startswith(b) for b in (iris.BASE, *bases) if b):
        return Kind.RESERVED
    return Kind.CURATOR


def refuse_write(kind: Kind, method: str) -> None:
    """Raise the refusal for writing (``method``: PUT, POST, DELETE, UPDATE) a graph of ``kind``."""
    if kind is Kind.DEFAULT:
        raise MethodNotAllowed(
            "the default graph is the union of all named graphs and cannot be written; "
            "write a named graph (?graph=IRI) or submit with POST /curate",
            {"Allow": "GET, HEAD"},
        )
    if kind is Kind.SOURCE:
        raise Forbidden(
            "source graphs (id/graph/…) are built from the source documents by gcm-kg build "
            "and are not edited over HTTP: submit new facts with POST /curate"
        )
    if kind is Kind.RESERVED:
        raise Forbidden(
            f"IRIs under {iris.BASE} are minted by gcm-kg only: name your graph with an IRI of "
            "your own, or submit with POST /curate"
        )
    if kind is Kind.SUBMISSION and method != "DELETE":
        raise Forbidden(
            "submissions are immutable: retract the submission (DELETE) and submit again"
        )


def owner(store: Store, graph: URIRef) -> URIRef | None:
    """The curator recorded as the writer of a curator graph, if any."""
    from gcm_kg.namespaces import GCM
    from gcm_kg.writes.records import SUBMISSIONS_GRAPH

    rows = store.query(
        f"SELECT ?c WHERE {{ GRAPH <{SUBMISSIONS_GRAPH}> {{ <{graph}> <{GCM.submittedBy}> ?c }} }}"
    ).rows
    return URIRef(str(rows[0]["c"])) if rows else None


def check_owner(store: Store, graph: URIRef, curator: str) -> None:
    found = owner(store, graph)
    if found is not None and found != iris.curator(curator):
        raise Forbidden(f"graph <{graph}> belongs to another curator ({found})")
