"""Benchmark: latency of the linked-data responses, in process, Oxigraph vs rdflib in-memory.

Builds the graph into a temporary folder, loads both embedded stores, and times through the
Flask test client (no network): one resource in each representation, API pages, the stats
page, and the first (cold) and later (cached) dataset description with its dumps. Usage:
``python bench/linked_bench.py [--repeat N]``; prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from gcm_kg.assembly.pipeline import build
from gcm_kg.config import Settings
from gcm_kg.store import open_store
from gcm_kg.web import create_app

REQUESTS = [
    ("/id/objective/20", "application/ld+json"),
    ("/id/objective/20", "text/turtle"),
    ("/id/objective/20", "text/html"),
    ("/id/declaration/imrf-2022/paragraph/67", "application/ld+json"),
    ("/api/objectives", "application/ld+json"),
    ("/api/paragraphs?objective=20", "application/ld+json"),
    ("/api/actors?per_page=100", "application/ld+json"),
    ("/stats", "text/html"),
    ("/", "text/html"),
]


def _p50(samples: list[float]) -> float:
    return statistics.median(samples)


def _time(client, url: str, accept: str, repeat: int) -> float:  # type: ignore[no-untyped-def]
    client.get(url, headers={"Accept": accept})  # warm-up
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        resp = client.get(url, headers={"Accept": accept})
        out.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
    return _p50(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(
            Settings.from_env(),
            graph_dir=Path(tmp) / "graph",
            store=f"oxigraph:{Path(tmp) / 'store'}",
            rate_limit=0,
        )
        nquads = Path(build(settings, load_store=False).nquads).read_bytes()
        stores = {}
        for name, spec in (("oxigraph", "oxigraph:"), ("rdflib", "memory")):
            store = open_store(spec)
            store.replace_all(nquads)
            stores[name] = store
        clients = {
            name: create_app(replace(settings, dump_dir=Path(tmp) / name), store=s).test_client()
            for name, s in stores.items()
        }
        print("| request | Accept | Oxigraph p50 ms | rdflib p50 ms |")
        print("|---|---|---:|---:|")
        for url, accept in REQUESTS:
            ox = _time(clients["oxigraph"], url, accept, args.repeat)
            rd = _time(clients["rdflib"], url, accept, max(3, args.repeat // 3))
            print(f"| `{url}` | {accept} | {ox:.1f} | {rd:.1f} |")
        for name, client in clients.items():
            t = time.perf_counter()
            client.get("/dataset", headers={"Accept": "text/turtle"})
            cold = (time.perf_counter() - t) * 1000
            warm = _time(client, "/dataset", "text/turtle", args.repeat)
            print(
                f"\n{name}: /dataset first request (generates the 3 dumps) {cold:.0f} ms; "
                f"later p50 {warm:.1f} ms"
            )


if __name__ == "__main__":
    main()
