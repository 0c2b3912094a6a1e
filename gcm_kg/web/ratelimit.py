"""Per-client rate limit: a token bucket per client address, 429 with Retry-After when empty.

The limit is ``GCM_KG_RATE_LIMIT`` requests a minute with bursts up to ``GCM_KG_RATE_BURST``;
0 switches it off. Buckets live in this process (each server process limits on its own).
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from flask import Flask, request

from gcm_kg.errors import GcmKgError

EXTENSION = "gcm_kg.ratelimit"
WAIT = "gcm_kg.rate-wait"  # environ: a refusal already counted before the app saw the request


class TooManyRequests(GcmKgError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, {"Retry-After": str(retry_after)})


class TokenBuckets:
    """Thread-safe buckets keyed by client; at most ``max_clients`` remembered."""

    def __init__(self, per_minute: int, burst: int, max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token; return 0 if allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > self.max_clients:
                self._buckets.pop(next(iter(self._buckets)))
            return (1 - tokens) / self.rate


def admit(app: Flask, environ: dict[str, Any]) -> bool:
    """Count a request the app does not see (``web.kept``): True if within the client's limit;
    else False, and the app, seeing the request next, answers 429 without counting it again."""
    buckets: TokenBuckets | None = app.extensions.get(EXTENSION)
    if buckets is None:
        return True
    wait = buckets.take(environ.get("REMOTE_ADDR") or "unknown")
    if wait:
        environ[WAIT] = wait
    return not wait


def register(app: Flask, per_minute: int, burst: int) -> None:
    if per_minute <= 0:
        return
    buckets = app.extensions[EXTENSION] = TokenBuckets(per_minute, burst)

    @app.before_request
    def _limit() -> None:
        if request.method == "OPTIONS":
            return
        wait = request.environ.get(WAIT) or buckets.take(request.remote_addr or "unknown")
        if wait:
            raise TooManyRequests(
                f"more than {per_minute} requests a minute from this client; retry later",
                max(1, math.ceil(wait)),
            )
