"""A bounded load generator for a running gcm-kg server on loopback.

Used by the load test (``tests/security/test_load.py``) and by ``bench/soak.py``. Each client
thread keeps one HTTP/1.1 connection alive and walks the request mix from its own offset until
the time is up or the shared request cap is reached; every answer is read to the end. Anything
but the expected status, and any exception, counts as an error (with its description kept).
"""

from __future__ import annotations

import http.client
import itertools
import json
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

JSON_RESULTS = "application/sparql-results+json"
ID_ACCEPTS = ("application/ld+json", "text/turtle", "text/html")


@dataclass(frozen=True)
class Request:
    path: str
    accept: str
    status: int = 200  # the status this request must get


@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    #: latencies by kind of request: "query" (/queries/…, kept replies) or "resource" (/id/…)
    kinds: dict[str, list[float]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float, kind: str | None = None) -> float:
        """Latency percentile in milliseconds (nearest rank), of all requests or of a kind."""
        latencies = self.latencies if kind is None else self.kinds.get(kind, [])
        if not latencies:
            return 0.0
        ranked = sorted(latencies)
        return 1000 * ranked[min(len(ranked) - 1, max(0, round(p / 100 * len(ranked)) - 1))]

    def summary(self) -> str:
        median = 1000 * statistics.median(self.latencies) if self.latencies else 0.0
        return (
            f"{self.requests} requests in {self.seconds:.1f} s: {self.throughput:.0f} req/s, "
            f"p50 {median:.1f} ms, p99 {self.percentile(99):.1f} ms, errors {len(self.errors)}, "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def get_json(url: str, path: str, accept: str = "application/json") -> object:
    conn = _connection(url, 30)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"GET {path}: {resp.status} {body[:200]!r}")
        return json.loads(body)
    finally:
        conn.close()


def request_mix(url: str, resources: int = 120) -> list[Request]:
    """Every named query with its example parameters, and ``resources`` IRIs of the graph to
    dereference in turn as JSON-LD, Turtle and HTML; both discovered from the server itself."""
    listing = get_json(url, "/queries")
    mix = []
    for q in listing["queries"]:  # type: ignore[index]
        params = {p["name"]: p["example"] for p in q["parameters"] if not p["optional"]}
        path = q["url"] + ("?" + urlencode(params, quote_via=quote) if params else "")
        mix.append(Request(path, JSON_RESULTS))
    select = (
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
        'FILTER(STRSTARTS(STR(?s), "https://w3id.org/gcm-kg/id/")) } '
        f"ORDER BY ?s LIMIT {resources}"
    )
    found = get_json(url, "/sparql?" + urlencode({"query": select}), JSON_RESULTS)
    iris = [b["s"]["value"] for b in found["results"]["bindings"]]  # type: ignore[index]
    accepts = itertools.cycle(ID_ACCEPTS)
    for iri in iris:
        path = "/" + iri.removeprefix("https://w3id.org/gcm-kg/")
        mix.append(Request(path, next(accepts)))
    return mix


def kind_of(path: str) -> str:
    return "query" if path.startswith("/queries/") else "resource"


def run(
    url: str,
    mix: list[Request],
    *,
    clients: int = 16,
    seconds: float = 10.0,
    max_requests: int = 100_000,
    timeout: float = 30.0,
) -> Result:
    """Drive ``clients`` threads against ``url`` for at most ``seconds`` and ``max_requests``."""
    result = Result()
    lock = threading.Lock()
    issued = itertools.count()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = _connection(url, timeout)
        i = offset
        try:
            while time.monotonic() < deadline and next(issued) < max_requests:
                req = mix[i % len(mix)]
                i += 1
                start = time.monotonic()
                try:
                    conn.request("GET", req.path, headers={"Accept": req.accept})
                    resp = conn.getresponse()
                    resp.read()
                    status, error = resp.status, None
                    if status != req.status:
                        error = f"{req.path} ({req.accept}): {status}"
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = _connection(url, timeout)
                    status, error = 0, f"{req.path}: {type(exc).__name__}: {exc}"
                elapsed = time.monotonic() - start
                with lock:
                    result.latencies.append(elapsed)
                    result.kinds.setdefault(kind_of(req.path), []).append(elapsed)
                    result.statuses[status] += 1
                    if error:
                        result.errors.append(error)
        finally:
            conn.close()

    began = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(n * len(mix) // clients,)) for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - began
    return result
