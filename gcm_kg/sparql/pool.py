"""Query worker processes: the one way to abandon a query stuck inside the engine.

Neither pyoxigraph nor rdflib can cancel a running query from Python, and a deadline checked
between result rows never fires while ``ORDER BY`` or ``COUNT`` chews on a cartesian product.
So queries on the on-disk Oxigraph store run in worker processes that each open the store
read-only; when a query passes its time limit the worker is killed (SIGKILL) and replaced, the
client gets a 503 at once, and the other workers keep serving. A worker that crashes on a query
(a parser segfault) costs that query only.

Workers start from a fork server (a clean process without the web server's threads and locks)
and reopen the store when the job's store version differs from the one they opened, so they
never answer from data older than the web process sees.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from gcm_kg.errors import GcmKgError, QueryRejected, QueryTimeout, StoreError
from gcm_kg.sparql.jobs import Job, Outcome

log = logging.getLogger("gcm_kg.sparql.pool")
_CTX = mp.get_context("forkserver")
_CTX.set_forkserver_preload(["gcm_kg.sparql.native"])


def _serve(conn: Connection, path: str) -> None:
    """A worker's life: take (job, store version), answer ("ok", outcome) or ("error", error)."""
    from gcm_kg.sparql import native
    from gcm_kg.store.oxigraph import OxigraphStore

    store: OxigraphStore | None = None
    opened: str | None = None
    while True:
        try:
            job, version = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or version != opened:
                if store is not None:
                    store.close()
                store = OxigraphStore(Path(path), read_only=True)
                opened = version
            reply: tuple[str, object] = ("ok", native.execute(store, job))
        except GcmKgError as exc:
            reply = ("error", exc)
        conn.send(reply)


class _Worker:
    def __init__(self, path: Path) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(
            target=_serve, args=(child, str(path)), daemon=True, name="gcm-kg-query"
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of query worker processes over one on-disk Oxigraph store."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self.path)
        with self._lock:
            self._all.add(worker)
        return worker

    def run(self, job: Job, version: str) -> Outcome:
        """Answer ``job`` within ``job.timeout`` seconds or raise QueryTimeout (503)."""
        if self._closed:
            raise StoreError("the query workers are shut down")
        deadline = time.monotonic() + job.timeout
        try:
            worker = self._idle.get(timeout=job.timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"every query worker stayed busy for the whole time limit ({job.timeout:g} s); "
                "try again shortly"
            ) from None
        try:
            worker.conn.send((job, version))
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.conn.poll(remaining):
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {job.timeout:g} s and was stopped"
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise QueryRejected(
                "the query engine stopped on this query; it was not answered"
            ) from None
        self._idle.put(worker)
        if status == "ok":
            assert isinstance(payload, Outcome)
            return payload
        assert isinstance(payload, GcmKgError)
        raise payload

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor without making the caller wait."""

        def swap() -> None:
            worker.stop()
            with self._lock:
                self._all.discard(worker)
            if not self._closed:
                self._idle.put(self._start())

        threading.Thread(target=swap, name="gcm-kg-query-respawn", daemon=True).start()

    def close(self) -> None:
        """Stop every worker, busy or idle."""
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
