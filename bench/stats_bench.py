"""Never cold: /stats and the counting named queries right after curator writes, at N pledges.

    python bench/stats_bench.py --pledges 100000 [--writes 20] [--virtuoso] [--out FILE]

Data: the built graph plus N synthetic pledges (``store_bench.synthetic_pledges``, generated at
run time, never shipped). The server runs as ``gcm-kg serve`` does (waitress, the on-disk
Oxigraph store, query worker processes, the production 10 s time limit and 64 MB result cache)
in its own process, with a curator token made for the run. Measured:

- start: load time, time until the maintained tables answer, RSS of the server and each worker;
- after each of ``--writes`` curator writes (submissions through ``POST /curate``, every third
  followed by its retraction): the write's own latency, then the first ``/stats`` and the first
  request of each ``cq06-*`` query of the new version (nothing cached for it yet), then the same
  again (kept replies); every status is recorded (a 503 would be a stall);
- contention: two clients on ``/stats`` and two runaway ``/sparql`` queries (stopped at the time
  limit, 503 by design) while a curator writes every few seconds, and one client times a cached
  lookup throughout;
- with ``--virtuoso``: the same ``cq06-*`` SPARQL on Virtuoso 7 (Debian's
  virtuoso-opensource-7-bin, its own database, same data) in the same run, as the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from http_bench import Client, build_data, pct, poster, virtuoso  # noqa: E402

from gcm_kg.config import Settings  # noqa: E402
from gcm_kg.sparql import named  # noqa: E402

CQ06 = [
    "cq06-pledges-per-objective",
    "cq06-pledges-per-round-table",
    "cq06-pledges-per-actor-type",
    "cq06-objective-coverage",
]
LOOKUP = "/queries/cq01-round-table-objectives?roundTable=2"
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


# -- the server --------------------------------------------------------------------------------
def serve(data: Path, port: int, work: Path) -> None:
    from dataclasses import replace

    from waitress.server import create_server

    from gcm_kg.serving import waitress_options
    from gcm_kg.store.oxigraph import OxigraphStore
    from gcm_kg.web import create_app
    from gcm_kg.web.app import executor
    from gcm_kg.writes import auth

    began = time.perf_counter()
    store = OxigraphStore(work / "store")
    store.replace_all(data.read_bytes())
    loaded = time.perf_counter() - began
    token = auth.add_token(work / "tokens", "bench")
    settings = replace(
        Settings.from_env(),
        rate_limit=0,
        curator_tokens=work / "tokens",
        audit_log=work / "audit.log",
    )
    app = create_app(settings, store=store)
    ex = executor(app)  # as gcm-kg serve: workers and statistics start now
    assert ex.statistics is not None
    began = time.perf_counter()
    ex.statistics.snapshot(store.version(), wait=600)
    tables = time.perf_counter() - began
    server = create_server(app, **waitress_options(replace(settings, host="127.0.0.1", port=port)))
    print("ready", token, f"{loaded:.1f}", f"{tables:.1f}", flush=True)
    server.run()


def start(data: Path, work: Path) -> tuple[subprocess.Popen, str, str, float, float]:  # type: ignore[type-arg]
    from tests.integration.virtuoso import free_port

    port = free_port()
    cmd = [sys.executable, __file__, "--serve", "--data", str(data), "--port", str(port)]
    cmd += ["--work", str(work)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=os.environ)
    assert proc.stdout is not None
    said = proc.stdout.readline().split()
    if not said or said[0] != "ready":
        raise RuntimeError("the server did not start")
    return proc, f"http://127.0.0.1:{port}", said[1], float(said[2]), float(said[3])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            out += [int(x) for x in f.read().split()]
    return out


# -- the client --------------------------------------------------------------------------------
class Status:
    """Statuses seen, per kind of request."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[int, int]] = {}
        self.lock = threading.Lock()

    def add(self, kind: str, status: int) -> None:
        with self.lock:
            by = self.seen.setdefault(kind, {})
            by[status] = by.get(status, 0) + 1


def timed_get(base: str, path: str, status: Status, kind: str) -> float:
    """One GET on a new connection (a client after a write): ms, status recorded."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    t = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    resp.read()
    ms = (time.perf_counter() - t) * 1000
    conn.close()
    status.add(kind, resp.status)
    return ms


def write(base: str, token: str, i: int, rng: random.Random) -> tuple[float, str]:
    """A curator submission of one pledge: (ms, submission id)."""
    objectives = rng.sample(range(1, 24), rng.randint(1, 3))
    supports = ", ".join(f"<https://w3id.org/gcm-kg/id/objective/{o}>" for o in objectives)
    ttl = f"""@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/gcm-kg/id/pledge/bench-write-{i}> a gcm:Pledge ;
    rdfs:label "Benchmark pledge {i}"@en ;
    dcterms:title "Benchmark pledge {i}"@en ;
    gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/mex> ;
    gcm:supportsObjective {supports} ;
    prov:wasDerivedFrom <https://example.org/pledges/bench-write-{i}> .
"""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    t = time.perf_counter()
    conn.request(
        "POST",
        "/curate",
        body=ttl.encode(),
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
    )
    resp = conn.getresponse()
    body = resp.read()
    ms = (time.perf_counter() - t) * 1000
    conn.close()
    if resp.status != 201:
        raise RuntimeError(f"write {resp.status}: {body[:300]!r}")
    return ms, json.loads(body)["submission"]


def retract(base: str, token: str, ident: str) -> float:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    t = time.perf_counter()
    conn.request("DELETE", f"/curate/{ident}", headers={"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status != 204:
        raise RuntimeError(f"retraction {resp.status}")
    return (time.perf_counter() - t) * 1000


def summary(samples: list[float]) -> str:
    if not samples:
        return "-"
    return f"{pct(samples, 0.5):.1f} / {pct(samples, 0.99):.1f} / {max(samples):.1f}"


def contention(
    base: str, token: str, seconds: float, status: Status, writes: bool
) -> dict[str, list[float]]:
    """Two /stats clients and two runaway queries (and, with ``writes``, a curator writing every
    3 s, which makes every answer of the next version new), while one client times a lookup."""
    stop = time.monotonic() + seconds
    lat: dict[str, list[float]] = {"lookup": [], "stats": [], "write": []}
    rng = random.Random(7)

    def stats_client() -> None:
        while time.monotonic() < stop:
            lat["stats"].append(timed_get(base, "/stats", status, "contention /stats"))

    def runaway() -> None:
        path = "/sparql?" + urlencode({"query": RUNAWAY})
        while time.monotonic() < stop:
            timed_get(base, path, status, "runaway /sparql (503 by design)")

    def writer() -> None:
        i = 10_000
        while time.monotonic() < stop:
            lat["write"].append(write(base, token, i, rng)[0])
            i += 1
            time.sleep(3)  # a curator's pace, not a load

    threads = [threading.Thread(target=f) for f in (stats_client, stats_client, runaway, runaway)]
    if writes:
        threads.append(threading.Thread(target=writer))
    for th in threads:
        th.start()
    while time.monotonic() < stop:
        lat["lookup"].append(timed_get(base, LOOKUP, status, "contention lookup"))
        time.sleep(0.01)  # a portal's pace: the lookup must not be the load itself
    for th in threads:
        th.join()
    return lat


def run(args: argparse.Namespace, tmp: Path) -> tuple[list[str], list[str]]:
    """The whole measurement (see the module's docstring): the report's rows and notes."""
    data = tmp / "data.nq"
    quads = build_data(args.pledges, data)
    notes = [f"{quads} quads ({args.pledges} synthetic pledges), {os.cpu_count()} cores"]
    print(notes[0], flush=True)
    queries = named.catalogue(ROOT / "queries")
    status = Status()
    rows: list[str] = []
    rng = random.Random(2026)
    proc, base, token, loaded, tables = start(data, tmp / "work")
    try:
        notes.append(
            f"store loaded in {loaded:.1f} s; maintained tables ready {tables:.1f} s later"
        )
        first = {
            name: timed_get(base, f"/queries/{name}", status, "first after start")
            for name in [*CQ06, "stats"]
            if name != "stats"
        }
        first["/stats"] = timed_get(base, "/stats", status, "first after start")
        notes.append(
            "first request after start (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in first.items())
        )
        after: dict[str, list[float]] = {n: [] for n in ["/stats", *CQ06]}
        cached: dict[str, list[float]] = {n: [] for n in ["/stats", *CQ06]}
        writes: list[float] = []
        retractions: list[float] = []
        paths = {"/stats": "/stats", **{n: f"/queries/{n}" for n in CQ06}}
        for i in range(args.writes):
            ms, ident = write(base, token, i, rng)
            writes.append(ms)
            if i % 3 == 2:
                retractions.append(retract(base, token, ident))
            for name, path in paths.items():  # the first request of the new version
                after[name].append(timed_get(base, path, status, "first after a write"))
            for name, path in paths.items():
                client = Client(base)
                for _ in range(args.repeats):
                    t = time.perf_counter()
                    client.get(path)
                    cached[name].append((time.perf_counter() - t) * 1000)
                status.add("cached", 200)
        server_mb = rss_mb(proc.pid)
        workers_mb = [rss_mb(c) for c in children(proc.pid)]
        notes.append(
            f"RSS after the writes: server {server_mb:.0f} MB, workers "
            + ", ".join(f"{m:.0f}" for m in workers_mb)
            + " MB"
        )
        notes.append(
            f"curator writes (POST /curate, SHACL in context): p50 {pct(writes, 0.5):.0f} ms, "
            f"max {max(writes):.0f} ms; retractions p50 {pct(retractions, 0.5):.0f} ms"
            if retractions
            else f"curator writes p50 {pct(writes, 0.5):.0f} ms"
        )
        rows.append(
            "| request | first after a write p50 / p99 / max (ms) | cached p50 / p99 / max (ms) |"
        )
        rows.append("|---|---|---|")
        for name in paths:
            rows.append(f"| {name} | {summary(after[name])} | {summary(cached[name])} |")
        for writing in (False, True):
            lat = contention(base, token, args.contention, status, writing)
            rows.append("")
            rows.append(
                f"Contention ({args.contention:g} s: two /stats clients, two runaway /sparql"
                + (", a curator write every 3 s" if writing else "")
                + f"): lookup p50 / p99 / max {summary(lat['lookup'])} ms over "
                f"{len(lat['lookup'])} requests; /stats {summary(lat['stats'])} ms over "
                f"{len(lat['stats'])}" + (f"; writes {summary(lat['write'])} ms" if writing else "")
            )
    finally:
        proc.terminate()
        proc.wait(30)
    rows.append("")
    rows.append("Statuses: " + "; ".join(f"{k}: {v}" for k, v in status.seen.items()))
    if args.virtuoso:
        with virtuoso(data, notes, tmp) as (vbase, vpath):
            rows.append("")
            rows.append("| Virtuoso 7 (same data) | p50 / p99 / max (ms), 10 runs after one |")
            rows.append("|---|---|")
            for name in CQ06:
                call: Callable[[], bytes] = poster(vbase, vpath, queries[name].sparql)
                call()
                samples = []
                for _ in range(10):
                    t = time.perf_counter()
                    call()
                    samples.append((time.perf_counter() - t) * 1000)
                rows.append(f"| {name} | {summary(samples)} |")
    return rows, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pledges", type=int, default=100_000)
    ap.add_argument("--writes", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=20, help="cached requests per query and write")
    ap.add_argument("--contention", type=float, default=25.0, help="seconds")
    ap.add_argument("--virtuoso", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.data, args.port, args.work)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="gcmkg-stats-bench-"))
    try:
        rows, notes = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = "\n".join(f"- {n}" for n in notes) + "\n\n" + "\n".join(rows) + "\n"
    print(report)
    if args.out:
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
