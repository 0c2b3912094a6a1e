"""Benchmark: curator writes through the HTTP interface, against validation alone.

The context is the built graph plus N synthetic pledges (generated here, never shipped) in an
on-disk Oxigraph store, as deployed. Requests go through the Flask app in-process (no network),
so the figures are the server's own cost. Baseline: ``gcm_kg.validate.validate()`` of the same
submission against the same store (what every write must do anyway); each write is reported
as a ratio to it.

* ``POST /curate``, 1 and 100 pledges: validate, store in a graph of its own with its record,
  flush, audit;
* ``PUT /graphs`` of a 100-pledge curator graph that already exists (replace: what goes and
  comes is validated), and ``DELETE`` of it;
* ``POST /update`` of one ``INSERT DATA``: staged on a copy of the whole store in a child
  process (dump, spawn, run, diff), validated, applied;
* throughput of 1-pledge submissions from 4 threads at once (writes are serialised).

    python bench/curation_bench.py --sizes 0 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from validate_bench import SYNTHETIC, _column, pledges  # noqa: E402

from gcm_kg.config import Settings  # noqa: E402
from gcm_kg.store import open_store  # noqa: E402
from gcm_kg.validate import Submission, load_shapes, validate  # noqa: E402
from gcm_kg.web import create_app  # noqa: E402
from gcm_kg.writes import auth  # noqa: E402

GCM = "https://w3id.org/gcm-kg/ontology#"


def turtle(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def timed(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(size: int, built: bytes, repeats: int, tmp: Path) -> dict[str, float]:
    rng = random.Random(size)
    path = tmp / f"store-{size}"
    store = open_store(f"oxigraph:{path}")
    store.native.bulk_load(built, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    states = _column(store.native, f"SELECT ?s WHERE {{ ?s a <{GCM}MemberState> }}")  # type: ignore[attr-defined]
    targets = _column(
        store.native,  # type: ignore[attr-defined]
        "SELECT ?s WHERE { ?s a <http://metadata.un.org/sdg/ontology#Target> }",
    )
    store.native.extend(  # type: ignore[attr-defined]
        ox.Quad(t.subject, t.predicate, t.object, SYNTHETIC)
        for t in pledges("synthetic", size, states, targets, rng)
    )
    store.native.flush()  # type: ignore[attr-defined]
    settings = replace(
        Settings.from_env(),
        store=f"oxigraph:{path}",
        rate_limit=0,
        curator_tokens=tmp / f"tokens-{size}",
        audit_log=tmp / f"audit-{size}.log",
        max_body=10_000_000,
    )
    token = auth.add_token(settings.curator_tokens, "bench")
    client = create_app(settings, store).test_client()
    auth_header = {"Authorization": f"Bearer {token}"}
    shapes = load_shapes(settings)
    counter = iter(range(10**9))

    def batch(n: int) -> list[ox.Triple]:
        return list(pledges(f"b{next(counter)}", n, states, targets, rng))

    one, hundred = batch(1), batch(100)
    row: dict[str, float] = {"quads": float(store.count())}
    row["validate1"] = timed(lambda: validate(Submission(one), store, shapes), repeats)
    row["validate100"] = timed(lambda: validate(Submission(hundred), store, shapes), repeats)

    def post(n: int) -> None:
        resp = client.post(
            "/curate",
            data=turtle(batch(n)),
            headers={"Content-Type": "application/n-triples", **auth_header},
        )
        assert resp.status_code == 201, resp.get_data(as_text=True)

    row["curate1"] = timed(lambda: post(1), repeats)
    row["curate100"] = timed(lambda: post(100), repeats)
    graph = {"graph": "https://bench.example.org/g"}
    gsp = {"Content-Type": "application/n-triples", **auth_header}
    assert (
        client.put("/graphs", query_string=graph, data=turtle(batch(100)), headers=gsp).status_code
        == 201
    )

    def put() -> None:
        resp = client.put("/graphs", query_string=graph, data=turtle(batch(100)), headers=gsp)
        assert resp.status_code == 200, resp.get_data(as_text=True)

    row["put100"] = timed(put, repeats)
    t0 = time.perf_counter()
    assert client.delete("/graphs", query_string=graph, headers=auth_header).status_code == 204
    row["delete100"] = time.perf_counter() - t0

    def update() -> None:
        triple = f'<https://bench.example.org/s> <https://bench.example.org/n> "{next(counter)}"'
        text = f"INSERT DATA {{ GRAPH <https://bench.example.org/u> {{ {triple} }} }}"
        resp = client.post(
            "/update",
            data=text,
            headers={"Content-Type": "application/sparql-update", **auth_header},
        )
        assert resp.status_code == 200, resp.get_data(as_text=True)

    row["update"] = timed(update, repeats)
    n_threads, per_thread = 4, 10

    def worker(_: int) -> None:
        c = create_app(settings, store).test_client()
        for _ in range(per_thread):
            resp = c.post(
                "/curate",
                data=turtle(batch(1)),
                headers={"Content-Type": "application/n-triples", **auth_header},
            )
            assert resp.status_code == 201

    t0 = time.perf_counter()
    with ThreadPoolExecutor(n_threads) as pool:
        list(pool.map(worker, range(n_threads)))
    row["throughput"] = n_threads * per_thread / (time.perf_counter() - t0)
    store.close()
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--graph", type=Path, default=ROOT / "data" / "graph" / "gcm-kg.nq")
    args = ap.parse_args()
    built = args.graph.read_bytes()
    print(
        "| synthetic pledges | quads | validate 1 | POST /curate 1 | validate 100 "
        "| POST /curate 100 | PUT 100 | DELETE 100 | POST /update | submissions/s (4 threads) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            r = run(size, built, args.repeats, Path(tmp))
            cells = [
                f"{size:,}",
                f"{r['quads']:,.0f}",
                _ms(r["validate1"]),
                f"{_ms(r['curate1'])} ({r['curate1'] / r['validate1']:.1f}x)",
                _ms(r["validate100"]),
                f"{_ms(r['curate100'])} ({r['curate100'] / r['validate100']:.1f}x)",
                _ms(r["put100"]),
                _ms(r["delete100"]),
                _ms(r["update"]),
                f"{r['throughput']:.1f}",
            ]
            print("| " + " | ".join(cells) + " |", flush=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


if __name__ == "__main__":
    main()
