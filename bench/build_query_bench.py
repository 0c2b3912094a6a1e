"""Benchmark: build time, and in-process latency of every named query on the embedded stores.

Runs both backends in the same process on the same data and reports ratios, so the numbers
compare on any machine. Usage: ``python bench/build_query_bench.py [--repeat N]``; writes a
Markdown table to stdout (paste it into bench/RESULTS.md).
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
from gcm_kg.sparql import named
from gcm_kg.store import open_store

EXAMPLES = {
    "roundTable": "2",
    "objective": "20",
    "paragraph": "52",
    "actor": "iom",
    "kind": "commitment",
}


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        s = replace(settings, graph_dir=Path(tmp) / "graph", store=f"oxigraph:{tmp}/store")
        build_ms = timed(lambda: build(s, load_store=False), 3)
        load_ms = timed(lambda: build(s, load_store=True), 3)
        nquads = (Path(tmp) / "graph" / "gcm-kg.nq").read_bytes()
        stores = {"oxigraph": open_store("oxigraph:"), "memory": open_store("memory")}
        for st in stores.values():
            st.replace_all(nquads)
        print(
            f"build (sources → TriG + N-Quads): median {statistics.median(build_ms):.0f} ms; "
            f"with loading the Oxigraph store: {statistics.median(load_ms):.0f} ms; "
            f"{len(nquads.splitlines())} quads\n"
        )
        print("| named query | Oxigraph p50 ms | rdflib p50 ms | rdflib / Oxigraph |")
        print("|---|---:|---:|---:|")
        for q in named.catalogue(settings.queries_dir).values():
            values = {p.name: EXAMPLES.get(p.name, p.example) for p in q.params}
            bindings = q.bindings(values)
            p50 = {}
            for name, st in stores.items():
                st.query(q.sparql, bindings=bindings)  # warm up
                p50[name] = statistics.median(
                    timed(
                        lambda st=st, q=q, b=bindings: st.query(q.sparql, bindings=b), args.repeat
                    )
                )
            print(
                f"| {q.name} | {p50['oxigraph']:.2f} | {p50['memory']:.1f} | "
                f"{p50['memory'] / p50['oxigraph']:.0f}\u00d7 |"
            )


if __name__ == "__main__":
    main()
