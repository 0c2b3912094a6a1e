"""Run a SPARQL update on a copy of the store, in a process a deadline can kill.

Neither Oxigraph nor rdflib can stop a running update from Python, and a curator's update holds
the write lock while it is staged: so it is staged in a child process, on an in-memory copy of
the store (blank nodes keep their labels), and the child is killed when the deadline passes.
The child cannot open an Internet socket (``gcm_kg.sparql.sandbox``). It returns the state
of every graph the update changed and the triples the union gains
and loses; the store itself is only written afterwards, once that change has been validated.
"""

from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from gcm_kg.errors import QueryRejected, QuerySyntaxError, QueryTimeout, StoreError, UpdateFailed
from gcm_kg.sparql import worker

DEFAULT = ""  # the default graph's key in Staged.graphs


@dataclass
class Staged:
    #: graph IRI (DEFAULT for the default graph) → its triples after the update, as N-Triples
    graphs: dict[str, bytes] = field(default_factory=dict)
    #: graphs that held triples before the update
    existed: set[str] = field(default_factory=set)
    added: bytes = b""  # triples the union gains (N-Triples)
    gone: bytes = b""  # triples the union loses (N-Triples)
    #: (blank node, graph) pairs: a blank node of a changed graph also used by an unchanged one
    shared: list[tuple[str, str]] = field(default_factory=list)

    def triples(self, graph: str) -> list[ox.Triple]:
        return _read(self.graphs[graph])

    def added_triples(self) -> list[ox.Triple]:
        return _read(self.added)

    def gone_triples(self) -> list[ox.Triple]:
        return _read(self.gone)


def stage(nquads: bytes, update: str) -> Staged:
    """Apply ``update`` to a copy of the dataset ``nquads``; return what it changed."""
    store = ox.Store()
    store.extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))  # labels kept, unlike load()
    before = set(store)
    store.update(update)
    after = set(store)
    changed = before ^ after
    touched = {q.graph_name for q in changed}
    had = {q.graph_name for q in before}
    out = Staged()
    for g in touched:
        key = DEFAULT if isinstance(g, ox.DefaultGraph) else g.value
        content = [q.triple for q in store.quads_for_pattern(None, None, None, g)]
        out.graphs[key] = ox.serialize(content, format=ox.RdfFormat.N_TRIPLES) or b""
        if g in had:
            out.existed.add(key)
    union_before = {q.triple for q in before}
    union_after = {q.triple for q in after}
    out.added = _write(union_after - union_before)
    out.gone = _write(union_before - union_after)
    out.shared = _shared(after, touched)
    return out


def _shared(after: set[ox.Quad], touched: set[Any]) -> list[tuple[str, str]]:
    """Blank nodes of changed graphs that unchanged graphs use too (a rewrite would split them)."""
    mine = {
        t
        for q in after
        if q.graph_name in touched
        for t in (q.subject, q.object)
        if isinstance(t, ox.BlankNode)
    }
    pairs = set()
    for q in after:
        if q.graph_name in touched:
            continue
        for t in (q.subject, q.object):
            if isinstance(t, ox.BlankNode) and t in mine:
                pairs.add((t.value, str(getattr(q.graph_name, "value", ""))))
    return sorted(pairs)


def _write(triples: set[ox.Triple]) -> bytes:
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) or b""


def _read(data: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def _child(conn: Any, nquads: bytes, update: str) -> None:
    worker.sandbox()  # no Internet socket: a LOAD past the guard fails here
    try:
        conn.send(("ok", stage(nquads, update)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
    except OSError as exc:
        conn.send(("outbound" if worker.is_outbound(exc) else "failed", str(exc)))
    except (RuntimeError, ValueError) as exc:
        conn.send(("failed", str(exc)))
    finally:
        conn.close()


def run(nquads: bytes, update: str, timeout: float) -> Staged:
    """``stage`` in a child process; QueryTimeout (and the child killed) after ``timeout`` s."""
    ctx = mp.get_context("spawn")  # never fork a process that holds store handles
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, nquads, update), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryTimeout(
                f"the update ran longer than {timeout:g} s and was stopped; nothing was changed"
            )
        try:
            kind, value = parent.recv()
        except EOFError:
            raise StoreError("the update could not be staged (its process ended)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent.close()
    if kind == "syntax":
        raise QuerySyntaxError(value)
    if kind == "outbound":
        raise QueryRejected("the update tried to reach the network: the server fetches nothing")
    if kind == "failed":
        raise UpdateFailed(f"the update failed: {value}")
    return value  # type: ignore[no-any-return]
