"""Queries with a hard time limit: killable worker processes over read-only store checkpoints.

Neither Oxigraph nor rdflib can cancel a running query from Python, and a deadline checked
between result rows does not stop a blocking ORDER BY or GROUP BY over a product. So queries
run in worker processes; when one passes its deadline the worker is killed (SIGKILL) and
replaced, and the caller gets QueryTimeout while every other worker keeps serving.

Workers read a checkpoint of the embedded store (``Store.backup``: hard links, ~50 ms, made
once per store version), never the live database, so a kill cannot harm the data and a write
is visible to the next query: the checkpoint follows ``store.version()``. For stores up to
``copy_mb`` on disk a background thread also dumps each checkpoint as N-Quads, which every worker
loads into memory (``worker.MemoryCopy``) and answers from once loaded: 2-5x faster.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from gcm_kg.errors import (
    GcmKgError,
    NotAcceptable,
    QueryMemoryLimit,
    QueryRejected,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
)
from gcm_kg.sparql import worker
from gcm_kg.store import Store, sparql_text

log = logging.getLogger(__name__)
#: seconds a warm-up waits for a dump, or for a new worker to load it
WARM_SECONDS = 120.0
#: seconds between looks at the store version (a write starts the next version's warm-up)
VERSION_POLL = 0.2


@dataclass
class Answer:
    body: bytes
    media_type: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    truncated: bool
    #: what answered: a worker's in-memory "copy" or its "checkpoint", or the "store" itself
    source: str = "store"
    #: milliseconds the engine took to answer and serialize (None: taken from a cache)
    elapsed_ms: float | None = None
    #: the answer was cut at the byte limit (``truncated`` is then true as well)
    byte_cut: bool = False


def disk_size(directory: Path) -> int:
    return sum(e.stat().st_size for e in os.scandir(directory) if e.is_file())


class Dumps:
    """N-Quads dumps of checkpoints for the workers' in-memory copies, made one at a time.

    Dumping takes seconds for a large store (6.5 s at 930,000 quads), so it runs in a background
    thread at low CPU priority, for the newest wanted checkpoint only; until it is done, workers
    answer from the checkpoint. Checkpoints larger than ``max_mb`` on disk get no dump.

    The thread outlives every error the engine raises: a checkpoint removed meanwhile (a newer
    version replaced it) or too large is given up; any other error is logged once and the dump is
    tried again after a growing pause (``retry_base`` doubling up to ``retry_max`` seconds), so
    the copies resume once the cause is gone. Should the thread end anyway, the next request
    starts a new one.
    """

    def __init__(self, max_mb: int, *, retry_base: float = 0.5, retry_max: float = 30.0) -> None:
        self.max_bytes = max_mb * 1_000_000
        self.retry_base = retry_base
        self.retry_max = retry_max
        self._cond = threading.Condition()
        self._ready: dict[Path, Path] = {}  # checkpoint -> its dump (the newest only)
        self._failed: set[Path] = set()
        self._wanted: Path | None = None
        self._closed = False
        self._thread: threading.Thread | None = None
        self._logged: set[str] = set()  # errors already logged (each is logged once)
        #: errors met and retried, for tests and diagnostics
        self.retries = 0

    def of(self, checkpoint: Path) -> Path | None:
        """The dump of ``checkpoint`` if made; otherwise ask for it and return None."""
        with self._cond:
            dump = self._ready.get(checkpoint)
            if dump is None and self._pending(checkpoint) and self._wanted != checkpoint:
                self._wanted = checkpoint
                self._cond.notify_all()
            if dump is None and self._pending(checkpoint):
                self._ensure_thread()
            return dump

    def _ensure_thread(self) -> None:
        """Start the dump thread unless it runs (called with the condition held)."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="gcm-kg-dumps", daemon=True)
            self._thread.start()

    def wait(self, checkpoint: Path, timeout: float) -> Path | None:
        """The dump of ``checkpoint``, waiting up to ``timeout`` seconds for it to be made."""
        deadline = time.monotonic() + timeout
        self.of(checkpoint)
        with self._cond:
            while self._pending(checkpoint) and self._wanted == checkpoint:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return self._ready.get(checkpoint)

    def _pending(self, checkpoint: Path) -> bool:
        return (
            bool(self.max_bytes)
            and not self._closed
            and (checkpoint not in self._ready and checkpoint not in self._failed)
        )

    @staticmethod
    def _dump(checkpoint: Path, part: Path) -> None:
        """Write ``checkpoint`` as N-Quads to ``part`` (the engine call; a seam for tests)."""
        ox.Store.read_only(str(checkpoint)).dump(str(part), format=ox.RdfFormat.N_QUADS)

    def _run(self) -> None:
        with contextlib.suppress(Exception):
            worker.lower_priority()  # queries go first
        pause = self.retry_base
        while True:
            with self._cond:
                while self._wanted is None or not self._pending(self._wanted):
                    if self._closed:
                        return
                    self._cond.wait()
                checkpoint = self._wanted
            try:
                self._make(checkpoint)
            except Exception as exc:  # the engine's RuntimeError, a full disk, anything else
                checkpoint.with_suffix(".part").unlink(missing_ok=True)
                self._retry_later(checkpoint, exc, pause)
                pause = min(pause * 2, self.retry_max)
                continue
            pause = self.retry_base

    def _make(self, checkpoint: Path) -> None:
        """Dump ``checkpoint``; give it up if it is too large or gone (raise on other errors)."""
        dump = checkpoint.with_suffix(".nq")
        part = checkpoint.with_suffix(".part")
        try:
            if disk_size(checkpoint) > self.max_bytes:
                raise _GiveUp(f"larger than {self.max_bytes / 1e6:g} MB on disk")
            self._dump(checkpoint, part)
            part.rename(dump)
        except Exception as exc:
            part.unlink(missing_ok=True)
            if not isinstance(exc, _GiveUp) and checkpoint.exists():
                raise
            log.info("no in-memory copy of %s: %s", checkpoint.name, exc or "removed meanwhile")
            with self._cond:
                self._failed = {checkpoint}  # versions move on: the latest is all to remember
                self._cond.notify_all()
            return
        with self._cond:
            if self._wanted == checkpoint:
                for old in self._ready.values():
                    old.unlink(missing_ok=True)  # a worker loading it keeps it open
                self._ready = {checkpoint: dump}
            else:  # a newer version came meanwhile: this one is no use
                dump.unlink(missing_ok=True)
            self._cond.notify_all()

    def _retry_later(self, checkpoint: Path, exc: Exception, pause: float) -> None:
        """Log ``exc`` (once per kind of error), then wait ``pause`` seconds, or less if a newer
        checkpoint is wanted or the dumps are closed meanwhile."""
        self.retries += 1
        key = f"{type(exc).__name__}: {exc}"
        if key not in self._logged:
            self._logged.add(key)
            log.warning(
                "in-memory copy of %s failed (%s); retrying with backoff, workers answer from "
                "the checkpoint meanwhile",
                checkpoint.name,
                key,
            )
        deadline = time.monotonic() + pause
        with self._cond:
            while not self._closed and self._wanted == checkpoint:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class _GiveUp(Exception):
    """A checkpoint that gets no dump (too large): not an error to retry."""


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker.main, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.checkpoint: str | None = None
        self._killed = False
        self._kill_lock = threading.Lock()

    def kill(self) -> None:
        """Once only: the pool's close and a warm-up thread may both end the same worker, and a
        second close of the pipe would close whatever file now has its number."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A pool of ``size`` worker processes answering queries with a hard time limit."""

    def __init__(
        self,
        store: Store,
        *,
        size: int,
        timeout: float,
        workdir: Path,
        memory_mb: int = 0,
        copy_mb: int = 0,
    ) -> None:
        if store.path is None or not store.capabilities.snapshots:
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
        self._dumps = Dumps(copy_mb)
        self._stop = threading.Event()
        threading.Thread(target=self._keep_warm, daemon=True, name="warmer").start()

    # -- checkpoints
    def _checkpoint(self) -> Path:
        version = self.store.version()
        with self._snap_lock:
            path = self._checkpoints.get(version)
            if path is None:
                path = self.workdir / f"checkpoint-{version}"
                self.store.snapshot(path)
                self._checkpoints[version] = path
                self._collect(keep=path)
            return path

    def _collect(self, keep: Path) -> None:
        """Remove checkpoints no worker has open any more, but the one before ``keep``: a
        request waiting for a worker may name it (the warm-up makes each version's checkpoint
        as soon as it is written, not only when a query comes)."""
        in_use = {w.checkpoint for w in self._all} | {str(keep)}
        in_use |= {str(p) for p in list(self._checkpoints.values())[-2:]}
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
        if self._swap(w, fresh):
            self._warm_up(fresh)

    def _swap(self, old: _Worker, new: _Worker) -> bool:
        """Put ``new`` in ``old``'s place; False (and ``new`` ended) if the pool closed
        meanwhile, since nobody would end it then."""
        with self._cond:
            closed = self._closed
            if not closed:
                self._all = [new if x is old else x for x in self._all]
        if closed:
            new.kill()
        return not closed

    def execute(
        self,
        sparql: str,
        *,
        media_types: dict[str, str | None],
        bindings: dict[str, Node] | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        limit: int | None = None,
        max_bytes: int | None = None,
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
        request = self._request_for(
            sparql,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            media_types=media_types,
            limit=limit,
            max_bytes=max_bytes,
            refusals=refusals or {},
            prefixes=prefixes,
            base_iri=base_iri,
        )
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

    def _request_for(self, sparql: str, **options: object) -> dict[str, object]:
        """A worker's request: the query on the current checkpoint, and its dump if made."""
        checkpoint = self._checkpoint()
        dump = self._dumps.of(checkpoint)
        request: dict[str, object] = {
            "checkpoint": str(checkpoint),
            "copy": None if dump is None else str(dump),
            "sparql": sparql,
            "default_graphs": None,
            "named_graphs": None,
            "media_types": {"boolean": "application/sparql-results+json"},
            "limit": None,
            "max_bytes": None,
            "refusals": {},
            "prefixes": None,
            "base_iri": None,
        }
        request.update(options)
        return request

    def preload(self, timeout: float) -> bool:
        """Wait until every worker answers the current version from memory (benchmarks, tests):
        True if they all do within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        self._dumps.wait(self._checkpoint(), timeout)
        workers = [self._acquire(deadline) for _ in self._all]  # each one, not the same twice
        try:
            for w in workers:
                while time.monotonic() < deadline:
                    request = self._request_for("ASK {}")
                    w.checkpoint = request["checkpoint"]  # type: ignore[assignment]
                    w.conn.send(request)
                    if answer_of(w.conn.recv()).source == "copy":
                        break
                    time.sleep(0.02)
                else:
                    return False
            return True
        finally:
            for w in workers:
                self._release(w)

    # -- warm workers
    def _keep_warm(self) -> None:
        """At start and after every write, in the background: make the new version's checkpoint
        and dump, then have the idle workers start loading it (each query names it anyway)."""
        seen: str | None = None
        while not self._stop.is_set():
            version = self.store.version()
            if version != seen:
                seen = version
                try:
                    checkpoint = self._checkpoint()
                    dump = self._dumps.wait(checkpoint, WARM_SECONDS)
                    if dump is not None:
                        self._start_loading(checkpoint, dump)
                except (OSError, StoreError, EOFError) as exc:  # closed meanwhile, or a kill
                    log.info("warming the query workers failed: %s", exc)
            self._stop.wait(VERSION_POLL)

    def _start_loading(self, checkpoint: Path, dump: Path) -> None:
        """Tell each idle worker to load ``dump`` in its background thread (it answers at once)."""
        with self._cond:
            taken, self._idle = self._idle, []
        try:
            for w in taken:
                w.checkpoint = str(checkpoint)
                w.conn.send({"warm": "start", "checkpoint": str(checkpoint), "copy": str(dump)})
                w.conn.recv()
        finally:
            for w in taken:
                self._release(w)

    def _warm_up(self, w: _Worker) -> None:
        """Put a new worker in the pool once it holds the current version's copy (if the store
        has one): a replacement for a killed worker takes no query while still cold, so a retry
        finds it as fast as the one it replaces. In the background; a worker that cannot warm
        up joins cold."""

        def run() -> None:
            try:
                checkpoint = self._checkpoint()
                dump = self._dumps.wait(checkpoint, WARM_SECONDS)
                w.checkpoint = str(checkpoint)
                w.conn.send(
                    {
                        "warm": "wait",
                        "checkpoint": str(checkpoint),
                        "copy": None if dump is None else str(dump),
                    }
                )
                if w.conn.poll(WARM_SECONDS):
                    w.conn.recv()
                    self._release(w)
                    return
            except (OSError, EOFError, StoreError) as exc:
                log.info("a new query worker did not warm up: %s", exc)
            cold = _Worker(self._ctx, self.memory_mb)  # never a reply still on its way
            w.kill()
            if self._swap(w, cold):
                self._release(cold)

        threading.Thread(target=run, daemon=True, name="warm-up").start()

    def close(self) -> None:
        self._stop.set()
        self._dumps.close()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            workers = list(self._all)
        for w in workers:
            w.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def answer_of(reply: dict[str, Any]) -> Answer:
    """A worker's reply as an Answer, or the typed error it reports."""
    if reply["ok"]:
        return Answer(
            reply["body"],
            reply["media_type"],
            reply["form"],
            reply["truncated"],
            reply.get("source", "store"),
            reply.get("elapsed_ms"),
            reply.get("byte_cut", False),
        )
    if reply["kind"] == "syntax":
        raise QuerySyntaxError(reply["message"])
    if reply["kind"] == "not_acceptable":
        raise NotAcceptable(reply["message"])
    if reply["kind"] == "outbound":
        raise QueryRejected(reply["message"])
    if reply["kind"] == "memory":
        raise QueryMemoryLimit("the answer needed more memory than a query may use; ask for less")
    if reply["kind"] == "store":
        raise StoreError("the store could not be read; try again")
    # anything else is a fault of ours: logged by the error boundary, never shown (500)
    raise GcmKgError(f"a query worker failed: {reply['message']}")
