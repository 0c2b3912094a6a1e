"""Embedded Oxigraph (pyoxigraph): the default store. Fast, persistent, no server to run."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from gcm_kg.errors import (
    BadRequest,
    QuerySyntaxError,
    StoreError,
    UnsupportedMediaType,
    UpdateFailed,
)
from gcm_kg.formats import engine_formats
from gcm_kg.rdf import screen
from gcm_kg.rdf.terms import to_rdflib
from gcm_kg.store import hints, holder, sparql_text
from gcm_kg.store.base import Capabilities, QueryResult, Store, TermRow, read_errors

#: media type → pyoxigraph format of every RDF document format a store loads
RDF_FORMATS = engine_formats()


class OxigraphStore(Store):
    name = "oxigraph"
    capabilities = Capabilities(
        transactions=True, persistent=True, timeout=False, in_process=True, snapshots=True
    )

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                try:
                    path.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(
                        f"cannot create the store at {path}: {exc.strerror or exc}"
                    ) from None
                self._store = ox.Store(str(path))
                holder.claim(path)
        except OSError as exc:
            if path is not None and holder.is_lock_error(exc):
                raise holder.busy(path, exc) from None
            raise StoreError(f"cannot open the Oxigraph store at {path}: {exc}") from None
        self._holds = path is not None and not read_only
        self._version = uuid.uuid4().hex

    @property
    def native(self) -> ox.Store:
        return self._store

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
        answer = self.native_query(
            sparql, bindings=bindings, default_graphs=default_graphs, named_graphs=named_graphs
        )
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = []
            truncated = False
            for i, solution in enumerate(answer):
                if limit is not None and i >= limit:
                    truncated = True
                    break
                rows.append({n: to_rdflib(solution[n]) for n in names if solution[n] is not None})
            return QueryResult("SELECT", variables=names, rows=rows, truncated=truncated)
        triples = [
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer
        ]
        return QueryResult("CONSTRUCT", triples=triples)

    def native_query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The pyoxigraph answer itself, for callers that serialize it natively."""
        kwargs: dict[str, object] = {}
        if default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(str(g)) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
        if bindings:
            # a VALUES block first in the WHERE group, as on the remote store: pyoxigraph's
            # ``substitutions`` join after FILTERs, so FILTER(!BOUND(?p)) would not see ?p
            sparql = sparql_text.bind(sparql, bindings)
        with read_errors(sparql):
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]

    def term_rows(self, sparql: str) -> list[TermRow]:
        answer = self.native_query(sparql)
        if not isinstance(answer, ox.QuerySolutions):
            raise QuerySyntaxError("term_rows takes a SELECT query")
        names = [v.value for v in answer.variables]
        with read_errors(sparql):  # solutions are computed as they are read
            return [{n: s[n] for n in names if s[n] is not None} for s in answer]  # type: ignore[misc]

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)  # one transaction: a failing operation undoes the others
        except SyntaxError as exc:
            raise QuerySyntaxError(hints.oxigraph_message(sparql, str(exc))) from None
        except RuntimeError as exc:  # an operation failed, e.g. CREATE of an existing graph
            raise UpdateFailed(f"the update failed: {exc}") from None
        self._changed()

    def load(self, data: bytes, media_type: str, graph: URIRef | None = None) -> None:
        fmt = RDF_FORMATS.get(media_type)
        if fmt is None:
            raise UnsupportedMediaType(f"cannot load {media_type}")
        quads = screen.quads_for_store(data, fmt, media_type, str(graph) if graph else None)
        self._store.extend(quads)
        self._changed()

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        self._store.extend(quads)  # atomic: all of them or none
        self._changed()

    def replace_all(self, nquads: bytes) -> None:
        if self.path is None:
            try:
                quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
            except SyntaxError as exc:
                raise BadRequest(f"cannot parse N-Quads: {exc}") from None
            self._store.clear()
            self._store.extend(quads)
            self._changed()
            return
        # Build the new store beside the old one, then swap directories: a failure leaves the
        # old store in place.
        staging = self.path.with_name(self.path.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        fresh = ox.Store(str(staging))
        try:
            fresh.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            del fresh
            shutil.rmtree(staging, ignore_errors=True)
            raise BadRequest(f"cannot parse N-Quads: {exc}") from None
        fresh.flush()
        del fresh
        self._store = ox.Store()  # release the files before the swap
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        staging.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)
        self._store = ox.Store(str(self.path))
        self._changed()

    def dump(self) -> bytes:
        out = self._store.dump(format=ox.RdfFormat.N_QUADS)
        return out if isinstance(out, bytes) else b""

    def named_graphs(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def version(self) -> str:
        return self._version

    def _changed(self) -> None:
        self._version = uuid.uuid4().hex

    def engine(self) -> ox.Store:
        return self._store

    def snapshot(self, path: Path) -> None:
        self._store.backup(str(path))

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        self._store = ox.Store()
        if self._holds and self.path is not None:
            self._holds = False
            holder.release(self.path)
