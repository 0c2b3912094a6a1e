"""Admission control: a query that would wait for a busy engine is refused at once, not queued.

A query holds a web server thread while it runs (up to the time limit). With two query workers
and two threads, two runaway queries used to hold every thread, and every page - even a kept
reply or a resource page that needs no worker - waited about 9 s behind them. So:

* at most ``slots`` queries run at a time (the number of query workers); a further query may
  wait ``wait`` seconds for a slot if fewer than ``queue`` others are waiting, and is otherwise
  answered 503 with Retry-After at once;
* a client has at most ``per_client`` queries in progress (429 with Retry-After beyond), so one
  client cannot take every worker (the web layer names the client for /sparql queries; named
  queries, of known cost, come without one);
* the server's threads (``GCM_KG_WORKERS``) should exceed ``slots + queue``: the rest serve kept
  replies, resource pages and lookups, which never enter here.

Only work that runs the engine enters: an answer from the result cache does not.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from gcm_kg.errors import GcmKgError


class ServerBusy(GcmKgError):
    status = 503
    title = "Server busy"

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail, {"Retry-After": str(max(1, math.ceil(retry_after)))})


class ClientBusy(GcmKgError):
    status = 429
    title = "Too many queries at once"

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail, {"Retry-After": str(max(1, math.ceil(retry_after)))})


class Admission:
    """Counts queries in progress, in all and per client; see the module docstring."""

    def __init__(self, *, slots: int, queue: int, wait: float, per_client: int) -> None:
        self.slots = max(1, slots)
        self.queue = max(0, queue)
        self.wait = max(0.0, wait)
        self.per_client = per_client  # 0: no cap per client
        self._running = 0
        self._waiting = 0
        self._clients: Counter[str] = Counter()
        self._cond = threading.Condition()

    @property
    def running(self) -> int:
        return self._running

    @contextmanager
    def enter(self, client: str | None = None) -> Iterator[None]:
        """Hold a slot while the body runs; ServerBusy or ClientBusy if none may be had."""
        with self._cond:
            if client is not None and self.per_client and self._clients[client] >= self.per_client:
                held = self._clients[client]
                raise ClientBusy(
                    f"this client already has {held} {'query' if held == 1 else 'queries'} in "
                    f"progress (at most {self.per_client}); send the next when one is answered",
                    1,
                )
            if self._running >= self.slots:
                self._await_slot()
            self._running += 1
            if client is not None:
                self._clients[client] += 1
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                if client is not None:
                    self._clients[client] -= 1
                    if self._clients[client] <= 0:
                        del self._clients[client]
                self._cond.notify()

    def _await_slot(self) -> None:
        """Wait (the condition held) up to ``wait`` s for a free slot, if the queue has room."""
        busy = (
            f"all {self.slots} query workers are busy; try again shortly (cached answers, "
            "resource pages and the API are served meanwhile)"
        )
        if self._waiting >= self.queue or not self.wait:
            raise ServerBusy(busy, 1)
        self._waiting += 1
        try:
            deadline = time.monotonic() + self.wait
            while self._running >= self.slots:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ServerBusy(busy, 1)
                self._cond.wait(remaining)
        finally:
            self._waiting -= 1
