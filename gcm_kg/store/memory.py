"""rdflib in-memory store: for tests and tiny uses; the reference the fast backends must match."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence

from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from gcm_kg.errors import QuerySyntaxError, UnsupportedMediaType
from gcm_kg.store.base import Capabilities, QueryResult, Store

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}


class MemoryStore(Store):
    name = "memory"
    capabilities = Capabilities(transactions=True, persistent=False, timeout=False)

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        self._lock = threading.RLock()
        self._version = uuid.uuid4().hex

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        try:
            prepared = prepareQuery(sparql)
        except (ParseException, ValueError) as exc:
            raise QuerySyntaxError(str(exc)) from None
        target: Graph | Dataset = self._ds
        if default_graphs is not None:
            target = Graph()
            for g in default_graphs:
                for t in self._ds.graph(g):
                    target.add(t)
        with self._lock:
            result = target.query(prepared, initBindings=dict(bindings or {}))  # type: ignore[arg-type]
            if result.type == "ASK":
                return QueryResult("ASK", boolean=bool(result.askAnswer))
            if result.type == "SELECT":
                names = [str(v) for v in result.vars or []]
                rows = []
                truncated = False
                for i, r in enumerate(result):
                    if limit is not None and i >= limit:
                        truncated = True
                        break
                    rows.append({n: r[n] for n in names if r[n] is not None})  # type: ignore[call-overload,index]
                return QueryResult("SELECT", variables=names, rows=rows, truncated=truncated)
            return QueryResult(result.type, triples=list(result))  # type: ignore[arg-type]

    def update(self, sparql: str) -> None:
        with self._lock:
            snapshot = self.dump()
            try:
                self._ds.update(sparql)
            except (ParseException, ValueError) as exc:
                raise QuerySyntaxError(str(exc)) from None
            except Exception:
                self.replace_all(snapshot)
                raise
            self._version = uuid.uuid4().hex

    def load(self, data: bytes, media_type: str, graph: URIRef | None = None) -> None:
        fmt = RDF_FORMATS.get(media_type)
        if fmt is None:
            raise UnsupportedMediaType(f"cannot load {media_type}")
        staged = Dataset()
        if fmt in QUAD_FORMATS and graph is None:
            staged.parse(data=data, format=fmt)
        else:
            staged.graph(graph).parse(data=data, format=fmt)
        with self._lock:
            for q in staged.quads():
                self._ds.add(q)  # type: ignore[arg-type]
            self._version = uuid.uuid4().hex

    def replace_all(self, nquads: bytes) -> None:
        fresh = Dataset(default_union=True)
        fresh.parse(data=nquads, format="nquads")
        with self._lock:
            self._ds = fresh
            self._version = uuid.uuid4().hex

    def dump(self) -> bytes:
        from gcm_kg.nquads import quads_of, to_nquads

        with self._lock:
            return to_nquads(quads_of(self._ds), sort=False)

    def named_graphs(self) -> list[URIRef]:
        return sorted(
            c.identifier
            for c in self._ds.graphs()  # type: ignore[misc]
            if isinstance(c.identifier, URIRef)
            and len(c)
            and str(c.identifier) != "urn:x-rdflib:default"
        )

    def version(self) -> str:
        return self._version
