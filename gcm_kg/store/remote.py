"""A remote SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB…) as a store, over the standard protocol.

The path for deployments that outgrow one machine: many stateless web workers in front of one
shared triple store (docs/deployment.md). Behaviour matches the embedded stores (the contract
tests run against a real Virtuoso); where a server cannot match, ``capabilities`` says so.

* **Graph scope.** The store owns the named graphs whose IRI starts with ``graph_prefix``
  (default ``https://w3id.org/gcm-kg/id/graph/``). Servers keep graphs of their own (Virtuoso:
  ``virtrdf#``, ``ldp#``, its service description) and a shared server may hold other
  applications' data; none of it is seen. Every query without its own FROM is sent with the
  scope as its dataset (``default-graph-uri`` and ``named-graph-uri`` = every graph in scope),
  so the default graph is the union of our named graphs, as on the embedded stores — Virtuoso
  without a dataset would answer over *all* its graphs, system graphs included.
* **Version.** Every write through this class also writes a fresh stamp into a small state
  graph outside the scope; ``version()`` reads it (at most once per ``version_ttl`` seconds),
  so all workers sharing the server see each other's writes within that time. Writes made by
  other tools (isql, bulk loaders) do not move the stamp: call ``touch()`` after them.
* **Atomicity.** Virtuoso commits each operation of an update request on its own: an update
  whose second operation fails keeps the first one's effect (``capabilities.transactions`` is
  False). ``load`` and ``replace_all`` therefore upload into staging graphs outside the scope
  first (a failed upload leaves the store unchanged), then move them in with one request of
  server-side ``ADD``/``MOVE``/``DROP`` operations, which readers may see half-done for the
  moment it runs.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.errors import (
    BadRequest,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    UnreadableRDF,
    UnsupportedMediaType,
    UpdateFailed,
)
from gcm_kg.formats import engine_formats
from gcm_kg.rdf import screen
from gcm_kg.rdf.terms import to_oxigraph, to_rdflib
from gcm_kg.store import sparql_text
from gcm_kg.store.base import Capabilities, QueryResult, Store, Triple
from gcm_kg.store.http_client import Response, SparqlHttp

GRAPH_PREFIX = iris.ID + "graph/"
STATE_GRAPH = "urn:x-gcm-kg:store-state"
STATE_VERSION = "urn:x-gcm-kg:version"
STAMP = f"<{STATE_GRAPH}> <{STATE_VERSION}>"
EMPTY_GRAPH = "urn:x-gcm-kg:no-graph"  # names no data: a dataset that is empty on purpose
STAGING = "urn:x-gcm-kg:staging:"
RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
#: what a remote endpoint may answer CONSTRUCT with (its Accept asks for the first two)
TRIPLE_PARSERS = engine_formats("ntriples", "turtle", "rdfxml", aliases=True)


class RemoteStore(Store):
    name = "remote"
    capabilities = Capabilities(transactions=False, persistent=True, timeout=True)

    def __init__(
        self,
        url: str,
        *,
        graph_prefix: str = GRAPH_PREFIX,
        timeout: float = 30.0,
        bulk_timeout: float = 300.0,
        version_ttl: float = 1.0,
        chunk_triples: int = 1000,
        post_triples: int = 50_000,
        graph_store_url: str = "",
    ) -> None:
        # reads wait ``timeout`` (the app passes its query time limit); writes and whole-store
        # dumps, which may move every triple, wait ``bulk_timeout``
        self.http = SparqlHttp(url, timeout=timeout)
        self.bulk_timeout = bulk_timeout
        # SPARQL 1.1 Graph Store Protocol endpoint: loads 40x faster than INSERT DATA on Virtuoso
        self.graph_store = (
            SparqlHttp(graph_store_url, timeout=bulk_timeout) if graph_store_url else None
        )
        self.url = self.http.display
        self.graph_prefix = graph_prefix
        self.version_ttl = version_ttl
        self.chunk_triples = chunk_triples  # per INSERT DATA
        self.post_triples = post_triples  # per Graph Store Protocol POST (about 6 MB)
        self._lock = threading.Lock()
        self._stamp: str | None = None
        self._stamp_read = 0.0
        self._graphs: tuple[str, ...] | None = None

    # -- reading ---------------------------------------------------------------------------

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
        shape = sparql_text.shape(sparql)
        text = sparql_text.bind(sparql, bindings) if bindings else sparql
        params = [("query", text)]
        # one deadline for the whole call: the scope look-ups count against it too
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            if not shape.has_dataset:
                params += self._dataset(default_graphs, named_graphs, shape.uses_graph, deadline)
            accept = RESULTS_ACCEPT if shape.form in ("SELECT", "ASK") else GRAPH_ACCEPT
            resp = self._call(params, accept, timeout=_left(deadline))
        except QueryTimeout:
            if timeout is None:
                raise
            raise QueryTimeout(
                f"the triple store at {self.url} did not answer within {timeout:g} s"
            ) from None
        if shape.form in ("SELECT", "ASK"):
            return _results(resp, limit)
        return QueryResult(shape.form, triples=_triples(resp))

    def _dataset(
        self,
        default: Sequence[URIRef] | None,
        named: Sequence[URIRef] | None,
        graph: bool,
        deadline: float | None = None,
    ) -> list[tuple[str, str]]:
        """The scope as the request's dataset. Named graphs only when the query has a GRAPH
        pattern: each listed graph costs Virtuoso time (bench/RESULTS-store.md)."""
        scope = self._scope(deadline)

        def pick(wanted: Sequence[URIRef] | None) -> list[str]:
            # a graph outside the scope is treated as empty, never fetched or exposed
            chosen = list(scope) if wanted is None else [str(g) for g in wanted if str(g) in scope]
            return chosen or [EMPTY_GRAPH]

        params = [("default-graph-uri", g) for g in pick(default)]
        return params + [("named-graph-uri", g) for g in pick(named)] if graph else params

    def _scope(self, deadline: float | None = None) -> tuple[str, ...]:
        self._version(deadline)  # refreshes the graph list when another process wrote
        graphs = self._graphs
        if graphs is None:
            rows = self._select(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {sparql_text.term_n3(Literal(self.graph_prefix))})) }}",
                deadline,
            )
            graphs = tuple(sorted(str(r["g"]) for r in rows))
            self._graphs = graphs
        return graphs

    def named_graphs(self) -> list[URIRef]:
        return [URIRef(g) for g in self._scope()]

    def dump(self) -> bytes:
        everything = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        result = self.query(everything, timeout=self.bulk_timeout)
        if result.truncated:
            raise StoreError(
                f"the triple store at {self.url} cut the dump at {len(result.rows)} rows; "
                "raise its result limit (Virtuoso: [SPARQL] ResultSetMaxRows)"
            )
        quads = [ox.Quad(*(to_oxigraph(r[k]) for k in "spog")) for r in result.rows]  # type: ignore[arg-type]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    def version(self) -> str:
        return self._version()

    def _version(self, deadline: float | None = None) -> str:
        now = time.monotonic()
        if self._stamp is None or now - self._stamp_read >= self.version_ttl:
            rows = self._select(
                f"SELECT ?v WHERE {{ GRAPH <{STATE_GRAPH}> {{ {STAMP} ?v }} }}", deadline
            )
            stamp = str(rows[0]["v"]) if rows else "unstamped"
            with self._lock:
                if stamp != self._stamp:
                    self._graphs = None
                self._stamp, self._stamp_read = stamp, now
        return self._stamp  # type: ignore[return-value]

    # -- writing ---------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        try:
            self._call([("update", sparql)], RESULTS_ACCEPT, write=True)
        finally:
            # even a failed request may have changed data (no atomicity across operations)
            self.touch()

    def touch(self) -> None:
        """Write a fresh version stamp: every worker's caches see the change."""
        stamp = uuid.uuid4().hex
        self._call(
            [
                (
                    "update",
                    f"DROP SILENT GRAPH <{STATE_GRAPH}> ;\n"
                    f'INSERT DATA {{ GRAPH <{STATE_GRAPH}> {{ {STAMP} "{stamp}" }} }}',
                )
            ],
            RESULTS_ACCEPT,
            write=True,
        )
        with self._lock:
            self._stamp, self._stamp_read, self._graphs = stamp, time.monotonic(), None

    def load(self, data: bytes, media_type: str, graph: URIRef | None = None) -> None:
        quads = _parse(data, media_type, graph)
        targets = sorted({q[3] for q in quads})
        staging = self._stage(quads)
        ops = [f"ADD SILENT <{staging[g]}> TO <{g}>" for g in targets]
        self._swap(ops, staging.values())

    def replace_all(self, nquads: bytes) -> None:
        quads = _parse(nquads, "application/n-quads", None)
        targets = sorted({q[3] for q in quads})
        staging = self._stage(quads)
        ops = [f"DROP SILENT GRAPH <{g}>" for g in self._scope() if g not in staging]
        ops += [f"COPY SILENT <{staging[g]}> TO <{g}>" for g in targets]
        self._swap(ops, staging.values())

    def _stage(self, quads: list[tuple[str, str, str, str]]) -> dict[str, str]:
        """Upload quads into staging graphs (outside the scope, so invisible); name them."""
        run = uuid.uuid4().hex
        staging: dict[str, str] = {}
        for q in quads:
            if not q[3].startswith(self.graph_prefix):
                raise BadRequest(
                    f"graph <{q[3]}> is outside this store's graphs ({self.graph_prefix}…)"
                )
            staging.setdefault(q[3], f"{STAGING}{run}:{len(staging)}")
        try:
            if self.graph_store is not None:
                self._post_graphs(quads, staging)
                return staging
            for chunk in _chunks(quads, self.chunk_triples):
                body = "\n".join(f"GRAPH <{staging[g]}> {{ {s} {p} {o} }}" for s, p, o, g in chunk)
                self._call([("update", f"INSERT DATA {{\n{body}\n}}")], RESULTS_ACCEPT, write=True)
        except Exception:
            self._drop_quietly(staging.values())
            raise
        return staging

    def _post_graphs(self, quads: list[tuple[str, str, str, str]], staging: dict[str, str]) -> None:
        """Graph Store Protocol POSTs (merge) of N-Triples into each staging graph, at most
        ``post_triples`` each: Virtuoso 7.2 sometimes never answers a POST of ~100 MB."""
        assert self.graph_store is not None
        by_graph: dict[str, list[str]] = {}
        for s, p, o, g in quads:
            by_graph.setdefault(g, []).append(f"{s} {p} {o} .\n")
        for g, lines in by_graph.items():
            for start in range(0, len(lines), self.post_triples):
                self._post_chunk(staging[g], lines[start : start + self.post_triples])

    def _post_chunk(self, graph: str, lines: list[str]) -> None:
        assert self.graph_store is not None
        resp = self.graph_store.send(
            "POST",
            "graph=" + quote(graph, safe=""),
            "".join(lines).encode("utf-8"),
            {"Content-Type": "application/n-triples"},
        )
        if resp.status >= 300:
            raise StoreError(
                f"the graph store at {self.graph_store.display} refused the data "
                f"(HTTP {resp.status}): {resp.text(300)}"
            )

    def _swap(self, ops: list[str], staging: Iterable[str]) -> None:
        staging = list(staging)
        try:
            if ops:
                self._call([("update", " ;\n".join(ops))], RESULTS_ACCEPT, write=True)
        finally:
            self._drop_quietly(staging)
            self.touch()

    def _drop_quietly(self, graphs: Iterable[str]) -> None:
        ops = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
        if ops:
            # if the server is gone, the staging graphs stay: outside the scope, never seen
            with contextlib.suppress(StoreError):
                self._call([("update", " ;\n".join(ops))], RESULTS_ACCEPT, write=True)

    # -- plumbing --------------------------------------------------------------------------

    def _select(self, sparql: str, deadline: float | None = None) -> list[dict[str, Node]]:
        resp = self._call([("query", sparql)], RESULTS_ACCEPT, timeout=_left(deadline))
        return _results(resp, None).rows

    def _call(
        self,
        params: list[tuple[str, str]],
        accept: str,
        *,
        write: bool = False,
        timeout: float | None = None,
    ) -> Response:
        if write and timeout is None:
            timeout = self.bulk_timeout
        resp = self.http.post(params, accept, idempotent=not write, timeout=timeout)
        if resp.status < 300:
            if resp.headers.get("x-sql-state", "").startswith("S1T"):
                # Virtuoso's "anytime" answer: partial results after its time limit
                raise QueryTimeout(
                    f"the triple store at {self.url} stopped the query at its time limit"
                )
            return resp
        detail = resp.text()
        if resp.status == 400:
            raise QuerySyntaxError(f"the triple store rejected the request: {detail}")
        if resp.status in (401, 403) or "SR186" in detail:
            verb = "update" if write else "query"
            raise StoreError(
                f"the triple store at {self.url} does not allow this process to {verb} "
                f"(HTTP {resp.status}); grant it SPARQL update rights or give credentials"
            )
        if write and resp.status == 500 and detail.startswith("Virtuoso 22"):
            raise UpdateFailed(f"the update failed: {detail.splitlines()[0]}")
        raise StoreError(f"the triple store at {self.url} failed (HTTP {resp.status}): {detail}")

    def close(self) -> None:
        self.http.close()
        if self.graph_store is not None:
            self.graph_store.close()


def _left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (None: the client's own timeout); QueryTimeout once past."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise QueryTimeout("the time limit passed before the triple store was asked")
    return left


def _results(resp: Response, limit: int | None) -> QueryResult:
    try:
        doc = json.loads(resp.body)
    except ValueError as exc:
        raise StoreError(f"the triple store sent results that are not JSON: {exc}") from None
    if "boolean" in doc:
        return QueryResult("ASK", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    bindings = doc.get("results", {}).get("bindings", [])
    truncated = "x-sparql-maxrows" in resp.headers
    if limit is not None and len(bindings) > limit:
        bindings, truncated = bindings[:limit], True
    rows = [{k: _term(v) for k, v in b.items()} for b in bindings]
    return QueryResult("SELECT", variables=names, rows=rows, truncated=truncated)


def _term(value: Mapping[str, str]) -> Node:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    lang = value.get("xml:lang")
    if lang:
        return Literal(value["value"], lang=lang)
    datatype = value.get("datatype")
    if datatype and datatype != str(XSD.string):
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def _triples(resp: Response) -> list[Triple]:
    fmt = TRIPLE_PARSERS.get(resp.content_type)
    if fmt is None:
        raise StoreError(f"the triple store sent an unexpected graph format {resp.content_type}")
    try:
        return [
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            for t in ox.parse(resp.body, format=fmt)
        ]
    except SyntaxError as exc:
        raise StoreError(f"the triple store sent unreadable RDF: {exc}") from None


def _parse(data: bytes, media_type: str, graph: URIRef | None) -> list[tuple[str, str, str, str]]:
    """Parse locally first: malformed input fails here, before the server sees anything."""
    fmt = engine_formats().get(media_type)
    if fmt is None:
        raise UnsupportedMediaType(f"cannot load {media_type}")
    try:
        parsed = screen.parse(data, fmt, media_type)
    except UnreadableRDF as exc:
        raise BadRequest(f"cannot parse {exc.detail}") from None
    out = []
    for q in parsed:
        if isinstance(q.graph_name, ox.DefaultGraph):
            if graph is None:
                raise BadRequest("triples without a graph need a target graph")
            g = str(graph)
        else:
            g = q.graph_name.value  # type: ignore[union-attr]
        out.append((str(q.subject), str(q.predicate), str(q.object), g))
    return out


def _chunks(
    quads: list[tuple[str, str, str, str]], size: int
) -> Iterable[list[tuple[str, str, str, str]]]:
    """Chunks of at most ``size`` quads; all quads with blank nodes travel together, since a
    blank node label means a fresh node in every request."""
    with_bnodes = [q for q in quads if q[0].startswith("_:") or q[2].startswith("_:")]
    if with_bnodes:
        yield with_bnodes
    rest = [q for q in quads if not (q[0].startswith("_:") or q[2].startswith("_:"))]
    for i in range(0, len(rest), size):
        yield rest[i : i + size]
