"""Guard, cache, run: the one path from a query to serialized bytes, for /sparql and /queries.

Where a query runs depends on the store. On the on-disk Oxigraph store (the default) it runs in
the killable worker processes of ``executor.WorkerPool``, so the time limit holds even for a
blocking ORDER BY over a cartesian product. On an in-memory store it runs in the calling thread
with the same writers, and the limit is not enforced there (those stores are for tests and
small uses); on a remote store the client stops waiting at the job's time limit (503), and the
server's own limit stops the query there.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from gcm_kg.config import Settings
from gcm_kg.errors import QueryRejected, QuerySyntaxError
from gcm_kg.sparql import guard as guard_mod
from gcm_kg.sparql import maintained, serialize, worker
from gcm_kg.sparql.admission import Admission
from gcm_kg.sparql.cache import ResultCache
from gcm_kg.sparql.escapes import expand
from gcm_kg.sparql.jobs import Job, Wanted
from gcm_kg.sparql.pool import Answer, WorkerPool, answer_of
from gcm_kg.sparql.sandbox import Lane
from gcm_kg.store import Store, hints, sparql_text
from gcm_kg.store.base import read_errors

T = TypeVar("T")


class Executor:
    """Runs jobs against one store under the settings' limits."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.guard = guard_mod.Guard(
            max_nesting=settings.max_nesting, max_brackets=settings.max_brackets
        )
        self.cache = ResultCache(settings.result_cache_mb * 1_000_000)
        self.pool: WorkerPool | None = None
        self._lane: Lane | None = None
        self._lane_lock = threading.Lock()
        #: the counting named queries' answers, kept exact per store version (Oxigraph only)
        self.statistics = maintained.attach(store, settings.queries_dir)
        if (
            store.capabilities.snapshots
            and store.engine() is not None
            and store.path is not None
            and settings.query_processes > 0
        ):
            self.pool = WorkerPool(
                store,
                size=settings.query_processes,
                timeout=settings.query_timeout,
                workdir=checkpoints_dir(store.path),
                memory_mb=settings.query_memory_mb,
                copy_mb=settings.query_copy_mb,
            )
        self.admission = Admission(
            slots=settings.query_processes if self.pool is not None else settings.workers,
            queue=settings.query_queue,
            wait=settings.query_queue_wait,
            per_client=settings.query_per_client,
        )

    def job(
        self,
        query: str,
        *,
        wanted: Wanted,
        bindings: tuple[tuple[str, Node], ...] = (),
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        timeout: float | None = None,
        base: str | None = None,
    ) -> Job:
        """A job with the server's limits; a client's own timeout may only shorten them."""
        limit = self.settings.query_timeout
        return Job(
            query,
            wanted,
            bindings,
            default_graphs,
            named_graphs,
            limit=self.settings.result_limit,
            timeout=limit if timeout is None else min(timeout, limit),
            max_bytes=self.settings.result_max_bytes or None,
            base=base,
        )

    def cache_key(self, job: Job) -> tuple[object, ...]:
        return (
            job.query,
            job.bindings,
            job.default_graphs,
            job.named_graphs,
            job.wanted.key,
            job.limit,
            job.max_bytes,
            job.base,
        )

    def check(self, job: Job) -> str:
        """The text the engine will run for ``job``, approved by the guard (cached per text).

        One reading decides: the guard judges the whole text the engine is given (escapes
        expanded, parameters bound, the base written in), and the engine runs that text.
        """
        return self.guard.check(
            self._text(job), lambda: [str(g) for g in self.store.named_graphs()]
        )

    def _text(self, job: Job) -> str:
        """The job's query as its backend will read it. Oxigraph takes parameters as a VALUES
        block in the text; the other stores take them as terms, and the base as a BASE line."""
        if self.store.engine() is not None:
            if not job.bindings:
                return job.query
            return sparql_text.bind(expand(job.query), dict(job.bindings))
        # the Store interface takes no base IRI: a BASE line first is the same for these stores
        return f"BASE <{job.base}>\n{job.query}" if job.base else job.query

    def run(self, job: Job, client: str | None = None) -> Answer:
        """Check, then answer from the cache or the store; raises typed errors only.

        Running the engine needs admission (``admission``): ServerBusy when every worker is
        busy, ClientBusy when ``client`` has its share of queries in progress."""
        text = self.check(job)
        version = self.store.version()
        key = self.cache_key(job)
        hit = self.cache.get(version, key)
        if isinstance(hit, Answer):
            return hit
        began = time.perf_counter()
        try:
            answer = self._maintained(job, version)  # a look-up: no worker, no admission
            if answer is None:
                with self.admission.enter(client):
                    answer = self._execute(job, text)
        except QuerySyntaxError as exc:
            if exc.detail.startswith("error at "):  # Oxigraph's words: name what was typed
                exc = QuerySyntaxError(hints.oxigraph_message(text, exc.detail))
            raise guard_mod.explain(job.query, exc) from None
        self.cache.put(version, key, replace(answer, elapsed_ms=None))  # a hit ran no engine
        if answer.elapsed_ms is None:  # in this thread: the whole call; a worker times its own
            answer = replace(answer, elapsed_ms=(time.perf_counter() - began) * 1000)
        return answer

    def _maintained(self, job: Job, version: str) -> Answer | None:
        """The answer of a maintained named query (its exact text, no bindings or dataset)
        from the kept tables of ``version``; None: run it. A reader may wait for a write or a
        recompute under way for up to half the job's time limit, then runs the SPARQL."""
        stats = self.statistics
        if (
            stats is None
            or job.bindings
            or job.default_graphs is not None
            or job.named_graphs is not None
        ):
            return None
        name = stats.name_of(job.query)
        media_type = job.wanted.media_types()["results"]
        if name is None or media_type is None:
            return None
        began = time.perf_counter()
        table = stats.table(name, version, wait=job.timeout / 2)
        if table is None:
            return None
        body, cut = table.body(media_type, job.limit, job.max_bytes)
        elapsed = (time.perf_counter() - began) * 1000
        return Answer(
            body,
            media_type,
            "SELECT",
            cut.rows or cut.bytes,
            source="maintained",
            elapsed_ms=elapsed,
            byte_cut=cut.bytes,
        )

    def _execute(self, job: Job, text: str) -> Answer:
        """Run ``text``, the guard's approved form of ``job`` (``check``)."""
        if self.pool is not None:
            return self.pool.execute(
                text,
                media_types=job.wanted.media_types(),
                default_graphs=_list(job.default_graphs),
                named_graphs=_list(job.named_graphs),
                limit=job.limit,
                max_bytes=job.max_bytes,
                timeout=job.timeout,
                refusals=job.wanted.refusals(),
                prefixes=serialize.PREFIXES,
                base_iri=job.base,
            )
        engine = self.store.engine()
        if engine is not None:
            return self._here(engine, job, text)
        return self._neutral(job, text)

    def _here(self, engine: ox.Store, job: Job, text: str) -> Answer:
        """In this thread, with the workers' code (an in-memory Oxigraph store)."""
        request = {
            "sparql": text,
            "default_graphs": _list(job.default_graphs),
            "named_graphs": _list(job.named_graphs),
            "media_types": job.wanted.media_types(),
            "limit": job.limit,
            "max_bytes": job.max_bytes,
            "refusals": job.wanted.refusals(),
            "prefixes": serialize.PREFIXES,
            "base_iri": job.base,
        }
        with read_errors():
            return answer_of(self._sealed(worker.answer, engine, request))

    def _neutral(self, job: Job, text: str) -> Answer:
        """Any other backend: its QueryResult, written by the same writers."""
        run = self._sealed if self.store.capabilities.in_process else _direct
        try:
            result = run(
                self.store.query,
                text,
                bindings=dict(job.bindings),
                default_graphs=_iris(job.default_graphs),
                named_graphs=_iris(job.named_graphs),
                limit=job.limit,
                timeout=job.timeout,
            )
        except QuerySyntaxError as exc:  # report lines of the query as sent, not as prefixed
            if not job.base:
                raise
            raise QuerySyntaxError(_LINE.sub(_earlier, exc.detail)) from None
        fmt = job.wanted.for_form(result.form)
        if job.limit is not None and len(result.triples) > job.limit:
            result.triples, result.truncated = result.triples[: job.limit], True
        cut = worker.Cut()
        body = serialize.serialize(result, fmt, job.max_bytes, cut)
        truncated = result.truncated or cut.bytes
        return Answer(body, fmt.media_type, result.form, truncated, byte_cut=cut.bytes)

    def _sealed(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """``fn`` on a thread that cannot open Internet sockets (``sandbox.Lane``): a query
        run in this process reaches the network no more than one run in a worker."""
        with self._lane_lock:
            if self._lane is None:
                self._lane = Lane(self.settings.workers)
            lane = self._lane
        try:
            return lane.run(functools.partial(fn, *args, **kwargs))
        except OSError as exc:
            if worker.is_outbound(exc):
                raise QueryRejected(worker.OUTBOUND) from None
            raise

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self._lane is not None:
            self._lane.close()


def _direct(fn: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``fn`` in this thread (a remote store: its client needs the network)."""
    return fn(*args, **kwargs)


def checkpoints_dir(store_path: Path) -> Path:
    """Where the query workers' read-only checkpoints of an on-disk store live."""
    return store_path.with_name(store_path.name + "-checkpoints")


_LINE = re.compile(r"\b(line:?\s*)(\d+)", re.I)


def _earlier(m: re.Match[str]) -> str:
    return f"{m.group(1)}{max(int(m.group(2)) - 1, 1)}"


def _list(graphs: tuple[str, ...] | None) -> list[str] | None:
    return None if graphs is None else list(graphs)


def _iris(graphs: tuple[str, ...] | None) -> list[URIRef] | None:
    return None if graphs is None else [URIRef(g) for g in graphs]
