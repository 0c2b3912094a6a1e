"""Benchmark: ``POST /curate`` of this checkout against another (before a change), same run.

Each variant runs in a child process of its own that imports ``gcm_kg`` from the checkout it is
given (``python -S``, so the editable install does not choose for it) and measures, through the
Flask app in-process on an in-memory Oxigraph store holding the built graph:

* ``POST /curate`` of a submission of about 20 triples (2 synthetic pledges) and of about
  2,000 (200 pledges), each request with pledges of its own: the whole write (parse, trust,
  SHACL in its child process, store, flush, audit);
* the same with the shapes replaced by an accept-all validator: the write path's own cost,
  which is where the terms' representation is changed (or not).

Variants alternate round by round (before, after, before, …) so that the load of the machine
falls on both alike; the medians over rounds are compared as ratios (after / before).
Synthetic pledges are generated here and never shipped.

    git archive <commit> gcm_kg | tar -x -C /tmp/before
    python bench/writes_bench.py --before /tmp/before --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"20": 2, "2000": 200}  # triples (about) → pledges
GRAPH = ROOT / "data" / "graph" / "gcm-kg.nq"


def child(repeats: int) -> dict[str, float]:
    """Measure in this process (gcm_kg comes from PYTHONPATH); medians in seconds."""
    from dataclasses import replace

    import pyoxigraph as ox

    saved = list(sys.path)
    sys.path.insert(0, str(ROOT / "bench"))
    from validate_bench import GCM, _column, pledges

    sys.path[:] = saved  # validate_bench puts this checkout first: gcm_kg stays the given one

    from gcm_kg.config import Settings
    from gcm_kg.store import open_store
    from gcm_kg.web import create_app
    from gcm_kg.writes import auth, checks

    tmp = Path(tempfile.mkdtemp(prefix="writes-bench-"))
    store = open_store("oxigraph:")
    store.replace_all(GRAPH.read_bytes())
    engine = store.engine()
    states = _column(engine, f"SELECT ?s WHERE {{ ?s a <{GCM}MemberState> }}")
    targets = _column(
        engine, "SELECT ?s WHERE { ?s a <http://metadata.un.org/sdg/ontology#Target> }"
    )
    settings = replace(
        Settings.from_env(),
        store="oxigraph:",
        rate_limit=0,
        curator_tokens=tmp / "tokens",
        audit_log=tmp / "audit.log",
        max_body=10_000_000,
    )
    token = auth.add_token(settings.curator_tokens, "bench")
    client = create_app(settings, store).test_client()
    headers = {"Content-Type": "application/n-triples", "Authorization": f"Bearer {token}"}
    rng, counter = random.Random(7), iter(range(10**9))

    def body(n: int) -> bytes:
        triples = list(pledges(f"w{next(counter)}", n, states, targets, rng))
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def post(n: int) -> float:
        data = body(n)
        t0 = time.perf_counter()
        resp = client.post("/curate", data=data, headers=headers)
        elapsed = time.perf_counter() - t0
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return elapsed

    out: dict[str, float] = {}
    for name, n in SIZES.items():
        post(n)  # warm: shapes parsed, validation server started
        out[f"shacl{name}"] = statistics.median(post(n) for _ in range(repeats))
    real = checks.shacl_validator

    class Accept:
        conforms = True

        def warnings(self) -> list[str]:
            return []

        def to_json(self) -> dict[str, object]:
            return {"conforms": True}

    checks.shacl_validator = lambda settings=None: lambda data, store: Accept()  # type: ignore[assignment,misc]
    try:
        for name, n in SIZES.items():
            post(n)
            out[f"path{name}"] = statistics.median(post(n) for _ in range(repeats * 3))
    finally:
        checks.shacl_validator = real  # type: ignore[assignment]
    store.close()
    return out


def run_variant(code: Path, repeats: int) -> dict[str, float]:
    """One child process on the checkout ``code`` (``python -S``: no editable install)."""
    site = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), site])}
    with tempfile.TemporaryDirectory() as cwd:  # not the checkout: '' on sys.path is the cwd
        done = subprocess.run(
            [sys.executable, "-S", str(Path(__file__).resolve()), "--child", str(repeats)],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"the {code} variant failed:\n{done.stderr}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found.pop("code") == str(code / "gcm_kg" / "__init__.py"), "imported the wrong gcm_kg"
    return found  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--before", type=Path, help="a checkout of gcm_kg before the change")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        import gcm_kg

        result: dict[str, object] = dict(child(args.child))
        result["code"] = gcm_kg.__file__
        print(json.dumps(result))
        return
    if args.before is None:
        ap.error("--before is required")
    variants = {"before": args.before.resolve(), "after": ROOT}
    found: dict[str, list[dict[str, float]]] = {k: [] for k in variants}
    for _ in range(args.rounds):
        for name, code in variants.items():
            found[name].append(run_variant(code, args.repeats))
    labels = {
        "shacl": "POST /curate, shapes run",
        "path": "POST /curate, accept-all validator",
    }
    print("| measure | triples | before (ms) | after (ms) | after / before |")
    print("|---|---:|---:|---:|---:|")
    for kind in labels:
        for size in SIZES:
            before = statistics.median(r[kind + size] for r in found["before"])
            after = statistics.median(r[kind + size] for r in found["after"])
            print(
                f"| {labels[kind]} | ~{int(size):,} | {before * 1000:,.1f} | "
                f"{after * 1000:,.1f} | {after / before:.2f} |"
            )


if __name__ == "__main__":
    main()
