"""Store benchmark: in-process latency of every named query on each backend, in one run.

    GCM_KG_SHARED_DIR=/work/shared python bench/store_bench.py [--pledges 10000] [--out FILE]

Data: the built graph (data/graph/gcm-kg.nq; run ``gcm-kg build`` first) plus N synthetic
pledges generated here at run time, never shipped: each is a gcm:Pledge with a title and
label, made at the IMRF 2022, pledged by 1-2 real actors, supporting 1-3 objectives, relating
0-2 real SDG targets, with a status. Backends: embedded Oxigraph (on disk), rdflib in memory,
Virtuoso through RemoteStore, and Virtuoso's own endpoint (the bound query text POSTed over a
kept-alive connection, JSON read but not converted: what a client of Virtuoso itself pays).
Virtuoso is started here (Debian's virtuoso-opensource-7-bin) with its own temporary database.
Each cell: 2 warm-up runs, then runs until ``--seconds`` or ``--runs`` is reached.
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gcm_kg import iris  # noqa: E402
from gcm_kg.sparql import named  # noqa: E402
from gcm_kg.store import Store  # noqa: E402
from gcm_kg.store.memory import MemoryStore  # noqa: E402
from gcm_kg.store.oxigraph import OxigraphStore  # noqa: E402
from gcm_kg.store.remote import RemoteStore  # noqa: E402
from gcm_kg.store.sparql_text import bind  # noqa: E402
from tests.integration.virtuoso import VirtuosoServer  # noqa: E402

GCM = iris.GCM
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
STATUSES = ["announced", "in progress", "completed"]


def synthetic_pledges(real: ox.Store, n: int, seed: int = 2022) -> list[ox.Quad]:
    """N pledges shaped like the real ones, linked to the real actors, objectives and targets."""
    rng = random.Random(seed)
    actors = [
        r["a"]
        for r in real.query(  # type: ignore[union-attr]
            f"SELECT DISTINCT ?a WHERE {{ ?a a ?t . ?t <{RDFS}subClassOf> <{GCM}Actor> }}",
            use_default_graph_as_union=True,
        )
    ]
    targets = [
        r["t"]
        for r in real.query(  # type: ignore[union-attr]
            f"SELECT DISTINCT ?t WHERE {{ ?o <{GCM}relatedSDGTarget> ?t }}",
            use_default_graph_as_union=True,
        )
    ]
    objectives = [ox.NamedNode(str(iris.objective(i))) for i in range(1, 24)]
    event = ox.NamedNode(iris.ID + "event/imrf-2022")
    g = ox.NamedNode(iris.ID + "graph/bench-synthetic-pledges")
    nn = ox.NamedNode
    out = []
    for i in range(n):
        p = nn(f"{iris.ID}pledge/synthetic-{i}")
        title = ox.Literal(f"Synthetic pledge {i}", language="en")
        out += [
            ox.Quad(p, nn(RDF_TYPE), nn(GCM + "Pledge"), g),
            ox.Quad(p, nn(DCT + "title"), title, g),
            ox.Quad(p, nn(RDFS + "label"), title, g),
            ox.Quad(p, nn(GCM + "madeAt"), event, g),
            ox.Quad(p, nn(GCM + "pledgeStatus"), ox.Literal(rng.choice(STATUSES)), g),
        ]
        by = rng.sample(actors, rng.randint(1, 2))
        out += [ox.Quad(p, nn(GCM + "pledgedBy"), a, g) for a in by]
        out += [
            ox.Quad(p, nn(GCM + "supportsObjective"), o, g)
            for o in rng.sample(objectives, rng.randint(1, 3))
        ]
        out += [
            ox.Quad(p, nn(GCM + "relatedSDGTarget"), t, g)
            for t in rng.sample(targets, min(len(targets), rng.randint(0, 2)))
        ]
    return out


def direct_runner(url: str) -> Callable[[str], object]:
    """Virtuoso's own endpoint as a client sees it: POST the query, read the JSON."""
    parts = urlsplit(url)
    conns = [http.client.HTTPConnection(parts.hostname, parts.port)]

    def run(text: str) -> object:
        try:
            return once(conns[0], text)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            conns[0].close()  # the server closed an idle kept-alive connection: reconnect
            conns[0] = http.client.HTTPConnection(parts.hostname, parts.port)
            return once(conns[0], text)

    def once(conn: http.client.HTTPConnection, text: str) -> object:
        conn.request(
            "POST",
            parts.path,
            body=urlencode({"query": text}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(body[:300])
        return body

    return run


def measure(fn: Callable[[], object], seconds: float, runs: int) -> list[float]:
    """Timed runs (ms) after a warm-up; a backend slower than ``seconds`` per run gets one."""
    t = time.perf_counter()
    fn()
    if time.perf_counter() - t < seconds / 4:
        fn()
    samples: list[float] = []
    began = time.perf_counter()
    while len(samples) < runs and (time.perf_counter() - began < seconds or not samples):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pledges", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per query and backend")
    ap.add_argument("--runs", type=int, default=200, help="at most this many timed runs")
    ap.add_argument("--out", type=Path, help="write the Markdown table here too")
    args = ap.parse_args()

    real_nq = (ROOT / "data" / "graph" / "gcm-kg.nq").read_bytes()
    real = ox.Store()
    real.load(real_nq, format=ox.RdfFormat.N_QUADS)
    synth = synthetic_pledges(real, args.pledges)
    data = real_nq + (ox.serialize(synth, format=ox.RdfFormat.N_QUADS) or b"")
    total = len(real) + len(synth)
    print(f"{total} quads ({len(synth)} synthetic for {args.pledges} pledges)", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="gcmkg-bench-"))
    server = VirtuosoServer(tmp / "virtuoso")
    notes: list[str] = []
    try:
        started = server.start()
        stores: dict[str, Store] = {
            "oxigraph": OxigraphStore(tmp / "oxigraph"),
            "rdflib": MemoryStore(),
            "virtuoso-remote": RemoteStore(server.url, graph_store_url=server.graph_store_url),
        }
        for name, store in stores.items():
            t = time.perf_counter()
            store.replace_all(data)
            loaded = time.perf_counter() - t
            notes.append(f"{name}: replace_all of {total} quads in {loaded:.1f} s")
            print(notes[-1], flush=True)
        notes.insert(0, f"Virtuoso started and answering in {started:.1f} s")
        direct = direct_runner(server.url)

        header = (
            "| query | oxigraph p50 / p99 (runs) | rdflib | RemoteStore -> Virtuoso "
            "| Virtuoso endpoint | rows | oxigraph / Virtuoso endpoint, p50 |"
        )
        lines = [header, "|" + "---|" * 7]
        print(header, flush=True)
        for q in named.catalogue(ROOT / "queries").values():
            bindings = q.bindings({p.name: p.example for p in q.params if not p.optional})
            cells: dict[str, list[float]] = {}
            rows = 0
            for name, store in stores.items():
                cells[name] = measure(
                    lambda s=store, t=q.sparql, b=bindings: s.query(t, bindings=b),  # type: ignore[misc]
                    args.seconds,
                    args.runs,
                )
                rows = len(store.query(q.sparql, bindings=bindings).rows)
            text = bind(q.sparql, bindings)
            cells["direct"] = measure(lambda t=text: direct(t), args.seconds, args.runs)  # type: ignore[misc]
            ratio = statistics.median(cells["oxigraph"]) / statistics.median(cells["direct"])
            fmt = [f"{pct(v, 0.5):.2f} / {pct(v, 0.99):.2f} ({len(v)})" for v in cells.values()]
            line = f"| {q.name} | " + " | ".join(fmt) + f" | {rows} | {ratio:.2f}x |"
            lines.append(line)
            print(line, flush=True)
        for s in stores.values():
            s.close()
    finally:
        server.stop()
    report = "\n".join(notes) + "\n\n" + "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
