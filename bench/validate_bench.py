"""Benchmark: a 100-pledge submission validated against a large graph, targeted vs whole union.

The context is the built graph plus N synthetic pledges generated here at run time (never
shipped), in an in-memory Oxigraph store. Both sides run the same shapes with pyshacl on an
Oxigraph dataset; the only difference is what they validate:

* targeted — ``gcm_kg.validate.validate()``: the submission's affected nodes on the context data
  their shapes read (what ``gcm-kg validate FILE`` does);
* whole union — ``validate_dataset()`` on context + submission, every node (pyshacl as usual).

It checks that both report the same results for the submission's resources, and prints a
Markdown table for bench/RESULTS-validate.md.

    python bench/validate_bench.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gcm_kg.store import open_store  # noqa: E402
from gcm_kg.validate import Submission, load_shapes, validate, validate_dataset  # noqa: E402
from gcm_kg.validate.report import Report  # noqa: E402

ID = "https://w3id.org/gcm-kg/id/"
GCM = "https://w3id.org/gcm-kg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
SYNTHETIC = ox.NamedNode(ID + "graph/synthetic-pledges")


def _g(name: str) -> ox.NamedNode:
    return ox.NamedNode(GCM + name)


def pledges(prefix: str, n: int, states: list[str], targets: list[str], rng: random.Random):
    """n valid pledges, each with 9 to 10 triples like a curator's."""
    for i in range(n):
        p = ox.NamedNode(f"{ID}pledge/{prefix}-{i}")
        yield ox.Triple(p, RDF_TYPE, _g("Pledge"))
        yield ox.Triple(p, LABEL, ox.Literal(f"Synthetic pledge {prefix} {i}", language="en"))
        yield ox.Triple(p, _g("pledgedBy"), ox.NamedNode(rng.choice(states)))
        for objective in rng.sample(range(1, 24), rng.choice((1, 2))):
            yield ox.Triple(p, _g("supportsObjective"), ox.NamedNode(f"{ID}objective/{objective}"))
        yield ox.Triple(p, _g("relatedSDGTarget"), ox.NamedNode(rng.choice(targets)))
        yield ox.Triple(p, _g("pledgeStatus"), ox.Literal(rng.choice(("announced", "in progress"))))
        yield ox.Triple(p, _g("madeAt"), ox.NamedNode(ID + "event/imrf-2022"))
        yield ox.Triple(p, DERIVED, ox.NamedNode(ID + "document/imrf-2022-closing-press-release"))


def submission(states: list[str], targets: list[str], rng: random.Random) -> Submission:
    """100 pledges; five of them name an actor that does not exist, five a wrong objective."""
    triples = list(pledges("submitted", 100, states, targets, rng))
    for i in range(5):
        p = ox.NamedNode(f"{ID}pledge/submitted-{i}")
        triples.append(ox.Triple(p, _g("pledgedBy"), ox.NamedNode(f"{ID}actor/no-such-actor-{i}")))
        q = ox.NamedNode(f"{ID}pledge/submitted-{i + 5}")
        triples.append(ox.Triple(q, _g("supportsObjective"), ox.NamedNode(f"{ID}actor/mex")))
    return Submission(triples, ["synthetic"])


def _column(store: ox.Store, query: str) -> list[str]:
    return sorted(str(row[0].value) for row in store.query(query, use_default_graph_as_union=True))


def run(size: int, built: bytes, whole: bool, repeats: int) -> dict[str, object]:
    rng = random.Random(size)
    base = ox.Store()
    base.load(built, format=ox.RdfFormat.N_QUADS)
    states = _column(base, f"SELECT ?s WHERE {{ ?s a <{GCM}MemberState> }}")
    targets = _column(base, "SELECT ?s WHERE { ?s a <http://metadata.un.org/sdg/ontology#Target> }")
    synthetic = [
        ox.Quad(t.subject, t.predicate, t.object, SYNTHETIC)
        for t in pledges("synthetic", size, states, targets, rng)
    ]
    context = open_store("oxigraph:")
    context.native.bulk_load(built, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    context.native.extend(synthetic)  # type: ignore[attr-defined]
    sub = submission(states, targets, rng)
    shapes = load_shapes()

    t0 = time.perf_counter()
    targeted = validate(sub, context, shapes)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        again = validate(sub, context, shapes)
        warm.append(time.perf_counter() - t0)
    assert [r.key() for r in again.results] == [r.key() for r in targeted.results]
    row: dict[str, object] = {
        "size": size,
        "quads": len(context.native) + len(sub),  # type: ignore[attr-defined]
        "cold": cold,
        "warm": statistics.median(warm),
        "violations": len(targeted.violations),
        "warnings": len(targeted.warnings),
    }
    if whole:
        union = ox.Store()
        union.bulk_load(built, format=ox.RdfFormat.N_QUADS)
        union.extend(synthetic)
        union.extend(sub.quads())
        t0 = time.perf_counter()
        full = validate_dataset(union, shapes)
        row["whole"] = time.perf_counter() - t0
        row["identical"] = _same(targeted, full, {t.subject for t in sub.triples})
        row["ratio"] = float(row["whole"]) / float(row["warm"])  # type: ignore[arg-type]
    row["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def _same(targeted: Report, full: Report, subjects: set[object]) -> bool:
    """The union's results on the submitted resources are exactly the targeted results."""
    from gcm_kg.validate.neighbourhood import focus_terms

    mine = focus_terms(subjects)  # type: ignore[arg-type]
    return [r.key() for r in targeted.results] == [r.key() for r in full.results if r.focus in mine]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--no-whole", action="store_true", help="skip pyshacl on the whole union")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--graph", type=Path, default=ROOT / "data" / "graph" / "gcm-kg.nq")
    args = ap.parse_args()
    built = args.graph.read_bytes()
    print(
        "| synthetic pledges | quads | targeted cold (s) | targeted warm (s) | whole union (s) "
        "| ratio | identical | violations / warnings | max RSS (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|:---:|---:|---:|")
    for size in args.sizes:
        r = run(size, built, not args.no_whole, args.repeats)
        whole = f"{r['whole']:.1f}" if "whole" in r else "-"
        ratio = f"{r['ratio']:.0f}x" if "ratio" in r else "-"
        print(
            f"| {r['size']:,} | {r['quads']:,} | {r['cold']:.3f} | {r['warm']:.3f} | {whole} "
            f"| {ratio} | {r.get('identical', '-')} | {r['violations']} / {r['warnings']} "
            f"| {r['maxrss_mb']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
