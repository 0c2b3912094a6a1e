"""Helpers for the linked-data tests: JSON-LD expansion with the local context only, a test
client over any store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import XSD, Graph, Literal
from rdflib.term import Node

from gcm_kg.config import Settings
from gcm_kg.linked.context import CONTEXT_FILE, context_url
from gcm_kg.store import Store
from tests.helpers import make_app

BASE = "https://w3id.org/gcm-kg/"
#: a small graph whose pledges name objectives, statuses and SDG targets
FIXTURE = Path(__file__).resolve().parent.parent / "data" / "linked-pledges.trig"


def local_loader(base: str = BASE):  # type: ignore[no-untyped-def]
    """A pyld document loader that knows the published context and refuses anything else."""
    document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))

    def load(url: str, options: dict[str, Any]) -> dict[str, Any]:
        if url != context_url(base):
            raise AssertionError(f"the JSON-LD tried to load a remote document: {url}")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    return load


def expand_to_graph(doc: dict[str, Any], base: str = BASE) -> Graph:
    """The RDF a JSON-LD document stands for, computed by pyld (the reference processor)."""
    nquads = jsonld.to_rdf(
        doc, {"documentLoader": local_loader(base), "format": "application/n-quads"}
    )
    return plain(Graph().parse(data=nquads, format="nt"))


def _plain(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def plain(graph: Graph) -> Graph:
    """The same graph with ``"x"^^xsd:string`` written as ``"x"`` (RDF 1.1: one term)."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, _plain(o)))
    return out


def client_of(settings: Settings, store: Store):  # type: ignore[no-untyped-def]
    """A test client of an app over ``store``."""
    return make_app(settings, store).test_client()
