"""rdflib in-memory store: for tests and tiny uses; the reference the fast backends must match."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from functools import lru_cache

import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import ParseException
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from gcm_kg.errors import QueryRejected, QuerySyntaxError, UnsupportedMediaType
from gcm_kg.store.base import Capabilities, QueryResult, Store

# rdflib would otherwise fetch a FROM graph it does not hold from the web
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


@lru_cache(maxsize=256)
def _prepare(sparql: str) -> Query:
    """rdflib spends 5-20 ms parsing a query; a prepared query is reusable with any bindings."""
    try:
        return prepareQuery(sparql)
    except (ParseException, ValueError) as exc:
        raise QuerySyntaxError(str(exc)) from None
    except RecursionError:
        raise QueryRejected("the query nests too deeply for the query parser") from None


RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}


def _has_from(prepared: Query) -> bool:
    algebra = prepared.algebra
    return "datasetClause" in algebra and bool(algebra["datasetClause"])


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
        prepared = _prepare(sparql)
        if named_graphs is not None and _has_from(prepared):
            algebra = CompValue(prepared.algebra.name, **prepared.algebra)
            algebra["datasetClause"] = None  # the protocol's dataset replaces FROM / FROM NAMED
            prepared = Query(prepared.prologue, algebra)
        with self._lock:
            target = self._dataset(default_graphs, named_graphs)
            result = target.query(prepared, initBindings=dict(bindings or {}))
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
                    rows.append({n: r[n] for n in names if r[n] is not None})  # type: ignore[index]
                return QueryResult("SELECT", variables=names, rows=rows, truncated=truncated)
            return QueryResult(result.type, triples=list(result))  # type: ignore[arg-type]

    def _dataset(
        self, default_graphs: Sequence[URIRef] | None, named_graphs: Sequence[URIRef] | None
    ) -> Graph | Dataset:
        """The whole store, or the dataset the protocol names (which replaces FROM clauses)."""
        if default_graphs is None and named_graphs is None:
            return self._ds
        if named_graphs is None:  # a plain graph: rdflib then ignores FROM / FROM NAMED
            merged = Graph()
            for g in default_graphs or ():
                merged += self._ds.graph(g)
            return merged
        view = Dataset(default_union=False)
        for g in default_graphs or ():
            view.default_graph += self._ds.graph(g)
        for g in named_graphs:
            named = view.graph(g)
            named += self._ds.graph(g)
        return view

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
        return self._ds.serialize(format="nquads", encoding="utf-8")

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
