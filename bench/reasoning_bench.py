"""Benchmark: the HermiT check, the materialised inferences and the /ontology page.

Baselines from the same run: one HermiT run over the ontology alone (mostly the cost of
starting Java), and the build's assembly step the inferences follow. Usage:
``python bench/reasoning_bench.py [--repeat N]``; prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from gcm_kg.assembly import inference
from gcm_kg.assembly.pipeline import assemble, build
from gcm_kg.config import Settings
from gcm_kg.reasoning import consistency
from gcm_kg.reasoning.owl_input import prepare

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "owl-inconsistent-disjoint.ttl"


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time in seconds."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.repeat
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        s = replace(settings, graph_dir=Path(tmp) / "graph")
        result = build(s, load_store=False)
        nq = Path(result.nquads)
        ontology_only = consistency.gather(s)
        shipped = consistency.gather(s, [nq])
        broken_small = consistency.gather(s, [FIXTURE])
        broken_big = consistency.gather(s, [nq, FIXTURE])

        rows: list[tuple[str, float]] = []
        java = timed(lambda: consistency.hermit(prepare(ontology_only).graph), n)
        rows.append(("one HermiT run, ontology alone (baseline: Java start-up)", java))
        rows.append(
            (
                "read ontology + shipped graph (rdflib)",
                timed(lambda: consistency.gather(s, [nq]), n),
            )
        )
        rows.append(("prepare for HermiT (datatype map)", timed(lambda: prepare(shipped), n)))
        prepared = prepare(shipped).graph
        rows.append(
            ("one HermiT run, shipped graph", timed(lambda: consistency.hermit(prepared), n))
        )
        rows.append(
            ("`check`, shipped graph (consistent)", timed(lambda: consistency.check(shipped), n))
        )
        rows.append(
            (
                "`check`, disjoint fixture, with explanation",
                timed(lambda: consistency.check(broken_small), n),
            )
        )
        rows.append(
            (
                "`check`, shipped graph + disjoint fixture, with explanation",
                timed(lambda: consistency.check(broken_big), n),
            )
        )
        rows.append(
            (
                "`check --no-explain`, shipped graph + disjoint fixture",
                timed(lambda: consistency.check(broken_big, explain=False), n),
            )
        )

        assembly = timed(lambda: assemble(s), n)
        ds = assemble(s)
        materialise = timed(lambda: inference.materialise(ds), n)
        size = inference.materialise(ds)

    from gcm_kg.web import create_app

    app = create_app(replace(settings, rate_limit=0))
    client = app.test_client()

    def page_cold() -> None:
        app.extensions.pop("gcm_kg.ontology", None)
        client.get("/ontology", headers={"Accept": "text/html"})

    cold = timed(page_cold, n)
    warm = timed(lambda: client.get("/ontology", headers={"Accept": "text/html"}), n * 10)

    print(f"HermiT (median of {n}, wall clock, seconds):\n")
    print("| step | s | x Java start-up |")
    print("|---|---:|---:|")
    for name, sec in rows:
        print(f"| {name} | {sec:.2f} | {sec / java:.1f} |")
    print(
        f"\nMaterialised inferences: {size} triples in {materialise * 1000:.0f} ms "
        f"({materialise / assembly:.2f} x the assembly step, {assembly * 1000:.0f} ms)."
    )
    print(
        f"\n/ontology HTML page: first request {cold * 1000:.0f} ms (reads the store for "
        f"examples, draws the diagram), then {warm * 1000:.1f} ms from memory "
        f"({cold / warm:.0f} x faster)."
    )


if __name__ == "__main__":
    main()
