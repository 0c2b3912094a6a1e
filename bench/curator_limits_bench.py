"""Benchmark: what a hostile curator body costs the server, and whether other writes wait for it.

A Turtle list of N elements is a few bytes per element, but SHACL validation of it grew
quadratically (issue 12, item 4). Each row posts one such body to ``POST /curate`` on the
shipped graph (``data/graph/gcm-kg.nq``, on-disk Oxigraph, the Flask app in-process) while
another thread sends one-triple dry runs, one after the other, for as long as the big write
runs: the longest of those shows whether the big one held the write lock while it was
validated. The baseline is the same one-triple dry run alone (ratio = longest / alone).
Synthetic data only, generated here.

    python bench/curator_limits_bench.py --lists 500 1000 2000 --triples 5000 20000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gcm_kg.config import Settings  # noqa: E402
from gcm_kg.store import open_store  # noqa: E402
from gcm_kg.web import create_app  # noqa: E402
from gcm_kg.writes import auth  # noqa: E402

SMALL = b'<https://example.org/bench/small> <http://www.w3.org/2000/01/rdf-schema#comment> "s" .'


def list_body(n: int) -> bytes:
    items = " ".join(f'"e{i}"' for i in range(n))
    return f"<https://example.org/bench/list> <https://example.org/bench/p> ( {items} ) .".encode()


def triples_body(n: int) -> bytes:
    return "\n".join(
        f'<https://example.org/bench/t{i}> <https://example.org/bench/p> "v{i}" .' for i in range(n)
    ).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lists", type=int, nargs="*", default=[500, 1000, 2000])
    ap.add_argument("--triples", type=int, nargs="*", default=[5000, 20000])
    ap.add_argument("--label", default="", help="what code ran (printed in the table)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gcmkg-limits-"))
    base = Settings.from_env(
        store=f"oxigraph:{tmp / 'store'}",
        curator_tokens=tmp / "tokens",
        audit_log=tmp / "audit.log",
        rate_limit=0,
        query_processes=0,
    )
    known = {f.name for f in fields(Settings)}
    settings = replace(base, **{k: v for k, v in {"max_body": 10_000_000}.items() if k in known})
    store = open_store(settings.store)
    store.replace_all((ROOT / "data" / "graph" / "gcm-kg.nq").read_bytes())
    token = auth.add_token(settings.curator_tokens, "bench")
    app = create_app(settings, store)
    head = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}

    def post(body: bytes, dry: bool = False) -> tuple[int, float]:
        c = app.test_client()
        t0 = time.perf_counter()
        resp = c.post("/curate" + ("?dry_run=true" if dry else ""), data=body, headers=head)
        return resp.status_code, time.perf_counter() - t0

    def meanwhile(small: list[float], done: threading.Event) -> None:
        while not done.is_set() and len(small) < 100_000:
            small.append(post(SMALL, dry=True)[1])

    post(SMALL, dry=True)  # warm: shapes parsed, worker pools started
    alone = min(post(SMALL, dry=True)[1] for _ in range(3))
    print(f"# {args.label} one-triple dry run alone: {alone * 1000:.0f} ms")
    print("| body | bytes | status | big write s | longest small write s | ratio to alone |")
    print("|---|---:|---:|---:|---:|---:|")
    cases = [(f"list of {n:,}", list_body(n)) for n in args.lists]
    cases += [(f"{n:,} triples", triples_body(n)) for n in args.triples]
    for name, body in cases:
        small: list[float] = []
        done = threading.Event()

        t = threading.Thread(target=meanwhile, args=(small, done))
        t.start()
        status, took = post(body, dry=True)
        done.set()
        t.join(timeout=3600)
        waited = max(small) if small else float("nan")
        print(
            f"| {name} | {len(body):,} | {status} | {took:.2f} | {waited:.2f} | "
            f"{waited / alone:.0f}x |",
            flush=True,
        )
    store.close()


if __name__ == "__main__":
    main()
