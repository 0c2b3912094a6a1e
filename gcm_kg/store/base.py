"""The one small interface every store backend implements.

Backends differ in speed and deployment, not in behaviour: the contract tests in
``tests/store/test_store_contract.py`` run against each of them. The default graph of a query is the
union of all named graphs (every fact lives in the named graph of its source).
"""

from __future__ import annotations

import abc
import contextlib
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node, URIRef

from gcm_kg.errors import QuerySyntaxError, StoreError
from gcm_kg.rdf.terms import to_oxigraph

#: one lock for every write of this process (submissions, retractions, graph writes, updates);
#: the maintained statistics recompute under it so that no write interleaves
write_lock = threading.Lock()

Row = dict[str, Node]
#: a row in pyoxigraph terms, the write path's representation (``Store.term_rows``)
TermRow = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]
Triple = tuple[Node, Node, Node]


@dataclass
class QueryResult:
    """A backend-neutral query answer; rows and triples hold rdflib terms."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False  # rows were cut at the result limit


@dataclass(frozen=True)
class Capabilities:
    transactions: bool  # writes are atomic
    persistent: bool  # data survives a restart
    timeout: bool  # the backend itself can abandon a running query
    in_process: bool = False  # queries run in this process (so in a network-sealed thread)
    snapshots: bool = False  # ``snapshot(path)`` writes a consistent on-disk copy


@contextlib.contextmanager
def read_errors(text: str = "") -> Iterator[None]:
    """Errors of the pyoxigraph engine (``Store.engine()``) while reading, as typed errors: a
    syntax error as such (naming the word of ``text`` it stopped at); a database error logged
    (its words name files) and told the client in fewer words."""
    from gcm_kg.store import hints

    try:
        yield
    except SyntaxError as exc:
        raise QuerySyntaxError(
            hints.oxigraph_message(text, str(exc)) if text else str(exc)
        ) from None
    except OSError as exc:
        logging.getLogger("gcm_kg.store").error("store read failed: %s", exc)
        raise StoreError("the store could not be read; try again") from None


class Store(abc.ABC):
    """Query, update and load; every backend behind the same few methods."""

    name: str = "store"
    capabilities: Capabilities
    #: the directory the data lives in, for backends that keep it on local disk
    path: Path | None = None

    @abc.abstractmethod
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
        """Run a SPARQL query. ``bindings`` pre-bind variables to RDF terms (never spliced).

        ``timeout``: seconds the caller waits at most. A backend whose ``capabilities.timeout``
        is true gives up after it with QueryTimeout; the others run the query to its end (the
        web app runs those in killable worker processes instead).
        """

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update atomically."""

    @abc.abstractmethod
    def load(self, data: bytes, media_type: str, graph: URIRef | None = None) -> None:
        """Add RDF in one transaction; triples go to ``graph`` unless the format has graphs."""

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        """Add quads built in this process (the write path's own terms) in one transaction.

        By default they go through ``load`` as N-Quads; a backend that holds pyoxigraph terms
        takes them as they are, so what a write validated is what it stores, blank nodes too."""
        self.load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", "application/n-quads")

    @abc.abstractmethod
    def replace_all(self, nquads: bytes) -> None:
        """Replace the whole content with the given N-Quads, atomically where possible."""

    @abc.abstractmethod
    def dump(self) -> bytes:
        """All quads as N-Quads."""

    @abc.abstractmethod
    def named_graphs(self) -> list[URIRef]:
        """The named graphs that hold data."""

    @abc.abstractmethod
    def version(self) -> str:
        """A token that changes whenever the data changes (for caches and ETags)."""

    def engine(self) -> ox.Store | None:
        """The pyoxigraph engine behind this backend, for callers that run it directly with the
        query workers' code (answers written natively, maintained statistics); None if the
        backend is not Oxigraph."""
        return None

    def snapshot(self, path: Path) -> None:
        """Write a consistent copy of the data to ``path`` (``capabilities.snapshots``)."""
        raise NotImplementedError(f"the {self.name} store cannot write a snapshot")

    def flush(self) -> None:  # noqa: B027 - a no-op where every write is already durable
        """Make the writes so far durable before the caller answers."""

    def count(self) -> int:
        """Number of quads, counted by SPARQL (never by walking every quad in Python)."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(str(result.rows[0]["n"])) if result.rows else 0

    def __len__(self) -> int:
        return self.count()

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release files or connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def iter_rows(self, sparql: str, **kw: object) -> Iterator[Row]:
        yield from self.query(sparql, **kw).rows  # type: ignore[arg-type]

    def term_rows(self, sparql: str) -> list[TermRow]:
        """A SELECT's rows in pyoxigraph terms, for the write path and its checks, which hold
        their triples in those. By default ``query``'s rows converted; a backend that holds
        pyoxigraph terms answers with its own, so they cross no other representation."""
        return [{k: to_oxigraph(v) for k, v in row.items()} for row in self.query(sparql).rows]
