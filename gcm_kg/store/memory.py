"""rdflib in-memory store: for tests and tiny uses; the reference the fast backends must match."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from functools import lru_cache

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import Dataset, URIRef
from rdflib.exceptions import ParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from gcm_kg.errors import (
    BadRequest,
    QueryRejected,
    QuerySyntaxError,
    UnsupportedMediaType,
    UpdateFailed,
)
from gcm_kg.formats import engine_formats
from gcm_kg.rdf import (
    rdflib_threads,  # noqa: F401  (one lock around rdflib's SPARQL parser)
    screen,
)
from gcm_kg.rdf.rdflib_threads import PARSE_LOCK
from gcm_kg.rdf.terms import to_rdflib
from gcm_kg.store.base import Capabilities, QueryResult, Store

# rdflib would otherwise fetch a FROM graph it does not hold from the web
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


@lru_cache(maxsize=256)
def _prepare(sparql: str) -> Query:
    """rdflib spends 5-20 ms parsing a query; a prepared query is reusable with any bindings."""
    try:
        with PARSE_LOCK:
            return prepareQuery(sparql)
    except ParseException as exc:  # the parser's own words, with where it stopped
        raise QuerySyntaxError(f"line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except ValueError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except RecursionError:
        raise QueryRejected("the query nests too deeply for the query parser") from None


def _without_from(prepared: Query) -> Query:
    """The query with FROM / FROM NAMED dropped: a protocol dataset replaces them."""
    algebra = prepared.algebra
    if "datasetClause" not in algebra or not algebra["datasetClause"]:
        return prepared
    copy = CompValue(algebra.name, **algebra)
    copy["datasetClause"] = None
    return Query(prepared.prologue, copy)


class MemoryStore(Store):
    name = "memory"
    capabilities = Capabilities(transactions=True, persistent=False, timeout=False, in_process=True)

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
        timeout: float | None = None,
    ) -> QueryResult:
        prepared = _prepare(sparql)
        if default_graphs is not None or named_graphs is not None:
            prepared = _without_from(prepared)
        with self._lock:
            target = self._dataset(default_graphs, named_graphs)
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

    def _dataset(self, default: Sequence[URIRef] | None, named: Sequence[URIRef] | None) -> Dataset:
        """The store itself, or a copy holding only the requested graphs (tiny data only)."""
        if default is None and named is None:
            return self._ds
        ours = set(self.named_graphs())
        view = Dataset(default_union=False)
        for g in ours if default is None else [g for g in default if g in ours]:
            for t in self._ds.graph(g):
                view.default_graph.add(t)
        for g in ours if named is None else [g for g in named if g in ours]:
            target = view.graph(g)
            for t in self._ds.graph(g):
                target.add(t)
        return view

    def update(self, sparql: str) -> None:
        with self._lock:
            snapshot = self.dump()
            try:
                with PARSE_LOCK:  # the update is parsed, then run, inside
                    self._ds.update(sparql)
            except (ParseException, ValueError) as exc:
                raise QuerySyntaxError(str(exc)) from None
            except Exception as exc:  # rdflib raises bare Exception for a failed operation
                self.replace_all(snapshot)
                raise UpdateFailed(f"the update failed: {exc}") from None
            self._version = uuid.uuid4().hex

    def load(self, data: bytes, media_type: str, graph: URIRef | None = None) -> None:
        fmt = engine_formats().get(media_type)
        if fmt is None:
            raise UnsupportedMediaType(f"cannot load {media_type}")
        # pyoxigraph reads the document, not rdflib: rdflib would fetch remote JSON-LD contexts
        # and recurse on deep nesting (see gcm_kg.rdf.screen)
        quads = []
        for q in screen.quads_for_store(data, fmt, media_type, str(graph) if graph else None):
            g = to_rdflib(q.graph_name)
            try:
                s, p, o = (to_rdflib(t) for t in (q.subject, q.predicate, q.object))
            except TypeError:
                raise BadRequest("quoted triples (RDF-star) are not supported") from None
            quads.append((s, p, o, self._ds.graph(g)))  # type: ignore[arg-type]
        with self._lock:
            for quad in quads:
                self._ds.add(quad)  # type: ignore[arg-type]
            self._version = uuid.uuid4().hex

    def replace_all(self, nquads: bytes) -> None:
        fresh = Dataset(default_union=True)
        try:
            fresh.parse(data=nquads, format="nquads")
        except (SyntaxError, ValueError, ParserError) as exc:
            raise BadRequest(f"cannot parse N-Quads: {exc}") from None
        with self._lock:
            self._ds = fresh
            self._version = uuid.uuid4().hex

    def dump(self) -> bytes:
        from gcm_kg.rdf.nquads import quads_of, to_nquads

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

    def count(self) -> int:
        """Quads in named graphs from rdflib's per-graph sizes (SPARQL COUNT takes 0.3 s here)."""
        with self._lock:
            return sum(
                len(g) for g in self._ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID
            )
