"""Queries with a hard time limit: killable worker processes over read-only store checkpoints.

Neither Oxigraph nor rdflib can cancel a running query from Python, and a deadline checked
between result rows does not stop a blocking ORDER BY or GROUP BY over a product. So queries
run in worker processes; when one passes its deadline the worker is killed (SIGKILL) and
replaced, and the caller gets QueryTimeout while every other worker keeps serving.

Workers read a checkpoint of the embedded store (``Store.backup``: hard links, ~50 ms, made
once per store version), never the live database, so a kill cannot harm the data and a write
is visible to the next query: the checkpoint follows ``store.version()``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib.term import Node

from gcm_kg.errors import (
    GcmKgError,
    NotAcceptable,
    QueryMemoryLimit,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
)
from gcm_kg.sparql import worker
from gcm_kg.store import sparql_text
from gcm_kg.store.oxigraph import OxigraphStore


@dataclass
class Answer:
    body: bytes
    media_type: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    truncated: bool


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker.main, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.checkpoint: str | None = None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryExecutor:
    """A pool of ``size`` worker processes answering queries with a hard time limit."""

    def __init__(
        self,
        store: OxigraphStore,
        *,
        size: int,
        timeout: float,
        workdir: Path,
        memory_mb: int = 0,
    ) -> None:
        if store.path is None:
            raise StoreError("the query executor needs an on-disk Oxigraph store")
        self.store = store
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.workdir = workdir
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        self._ctx = mp.get_context("spawn")  # never fork a process holding RocksDB handles
        self._idle: list[_Worker] = [_Worker(self._ctx, memory_mb) for _ in range(size)]
        self._all = list(self._idle)
        self._cond = threading.Condition()
        self._checkpoints: dict[str, Path] = {}
        self._snap_lock = threading.Lock()
        self._closed = False

    # -- checkpoints
    def _checkpoint(self) -> Path:
        version = self.store.version()
        with self._snap_lock:
            path = self._checkpoints.get(version)
            if path is None:
                path = self.workdir / f"checkpoint-{version}"
                self.store.native.backup(str(path))
                self._checkpoints[version] = path
                self._collect(keep=path)
            return path

    def _collect(self, keep: Path) -> None:
        """Remove checkpoints no worker has open any more."""
        in_use = {w.checkpoint for w in self._all} | {str(keep)}
        for version, path in list(self._checkpoints.items()):
            if str(path) not in in_use:
                shutil.rmtree(path, ignore_errors=True)
                del self._checkpoints[version]

    # -- the pool
    def _acquire(self, deadline: float) -> _Worker:
        with self._cond:
            while not self._idle:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise QueryTimeout("all query workers stayed busy for the whole time limit")
                self._cond.wait(remaining)
            return self._idle.pop()

    def _release(self, w: _Worker) -> None:
        with self._cond:
            self._idle.append(w)
            self._cond.notify()

    def _replace(self, w: _Worker) -> None:
        w.kill()
        fresh = _Worker(self._ctx, self.memory_mb)
        with self._cond:
            self._all = [fresh if x is w else x for x in self._all]
            self._idle.append(fresh)
            self._cond.notify()

    def execute(
        self,
        sparql: str,
        *,
        media_types: dict[str, str | None],
        bindings: dict[str, Node] | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        limit: int | None = None,
        timeout: float | None = None,
        refusals: dict[str, str] | None = None,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
    ) -> Answer:
        """Run a query; ``media_types`` maps "results", "boolean" and "graph" to media types.

        A form mapped to None is answered with NotAcceptable carrying ``refusals[form]``;
        ``prefixes`` shorten Turtle and TriG; relative IRIs resolve against ``base_iri``.
        """
        limit_s = min(timeout or self.timeout, self.timeout)
        deadline = time.monotonic() + limit_s
        if bindings:  # the same binding as every store backend: a VALUES block of RDF terms
            sparql = sparql_text.bind(sparql, bindings)
        request = {
            "checkpoint": str(self._checkpoint()),
            "sparql": sparql,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "media_types": media_types,
            "limit": limit,
            "refusals": refusals or {},
            "prefixes": prefixes,
            "base_iri": base_iri,
        }
        w = self._acquire(deadline)
        try:
            w.checkpoint = request["checkpoint"]  # type: ignore[assignment]
            w.conn.send(request)
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(w)
                w = None  # type: ignore[assignment]
                raise QueryTimeout(
                    f"the query ran longer than the {limit_s:g} s limit and was stopped"
                )
            reply = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            died = w
            if w is not None:
                self._replace(w)
                w = None  # type: ignore[assignment]
            if died is not None and self.memory_mb and died.process.exitcode == -signal.SIGABRT:
                raise QueryMemoryLimit(  # the engine aborts when an allocation is refused
                    f"the query needed more than the {self.memory_mb} MB memory limit and was "
                    "stopped"
                ) from None
            raise StoreError("a query worker died; the query was not answered") from None
        finally:
            if w is not None:
                self._release(w)
        return answer_of(reply)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for w in self._all:
            w.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def answer_of(reply: dict[str, Any]) -> Answer:
    """A worker's reply as an Answer, or the typed error it reports."""
    if reply["ok"]:
        return Answer(reply["body"], reply["media_type"], reply["form"], reply["truncated"])
    if reply["kind"] == "syntax":
        raise QuerySyntaxError(reply["message"])
    if reply["kind"] == "not_acceptable":
        raise NotAcceptable(reply["message"])
    if reply["kind"] == "store":
        raise StoreError("the store could not be read; try again")
    # anything else is a fault of ours: logged by the error boundary, never shown (500)
    raise GcmKgError(f"a query worker failed: {reply['message']}")
