"""Every named query under wrk, an independent load generator: gcm-kg against Virtuoso 7.

    GCM_KG_SHARED_DIR=/work/shared python bench/wrk_bench.py --pledges 10000 100000 [--out FILE]

Needs ``wrk`` (Debian: ``apt-get install wrk``) and Virtuoso (``.ci/system-packages``). For each
data size (the built graph plus N synthetic pledges, generated at run time and never shipped),
one gcm-kg server as ``gcm-kg serve`` runs it (``http_bench.serve``: waitress, on-disk Oxigraph,
query workers answering from their in-memory copy where the store fits, result cache on) and
one Virtuoso with the same data are started, then for every named query with its example
parameters, one after the other:

- **gcm-kg kept**: ``GET /queries/NAME?…`` repeated: what a portal repeating a query gets;
- **gcm-kg cold**: ``GET /sparql?query=…`` with a comment that differs on every request
  (``# r1``, ``# r2``, …), so no cache can answer: the engine runs every time;
- **Virtuoso**: the same cold requests on Virtuoso's ``/sparql``.

wrk runs one thread and ``--connections`` kept-alive connections for ``--seconds`` per cell and
reports requests per second and the latency distribution (``--latency``); a cell whose
requests fail or time out says so (``--timeout``, default 30 s). wrk's own socket and parser
do the work, not Python: the figures include no client written here. All connections come
from one address, so gcm-kg's per-client admission (one query in progress per client, refused
at once otherwise) is turned off for the run and queries queue for a worker instead, as the
requests of many clients would.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from http_bench import build_data, start, virtuoso  # noqa: E402

from gcm_kg.config import Settings  # noqa: E402
from gcm_kg.sparql import named  # noqa: E402
from gcm_kg.store.sparql_text import bind  # noqa: E402

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
# each request its own text: the SPARQL comment makes the query new to every cache
COLD = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "{path}?query={query}%0A%23%20r" .. counter, {{Accept = "{accept}"}})
end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(
    url: str, seconds: float, connections: int, timeout: float, script: Path | None
) -> dict[str, float | str]:
    """Run wrk once; its requests/s, p50 and p99 (ms), and errors as it counts them."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", f"--timeout={timeout:g}s"]
    cmd += ["--latency", "-H", f"Accept: {ACCEPT}"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    wrong = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    refused = int(wrong.group(1)) if wrong else 0
    # only answers count: a refusal (503 while the workers are busy) is fast and would flatter
    elapsed = float(done.group(2)) * UNITS[done.group(3)] / 1000 if done else seconds
    got: dict[str, float | str] = {"rps": (int(done.group(1)) - refused) / elapsed if done else 0.0}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        got[f"p{pct}"] = float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    problems = []
    if m := re.search(r"Socket errors: (.*)", out):
        problems.append(m.group(1).strip())
    if refused:
        problems.append(f"{refused} refused, not counted")
    got["errors"] = "; ".join(problems)
    return got


def drain(endpoint: str, limit: float = 600.0) -> float:
    """Wait until ``endpoint`` answers a trivial new query at once: the queries a finished cell
    left running (wrk stops waiting; the server does not) must not count against the next."""
    began = time.monotonic()
    n = 0
    while time.monotonic() - began < limit:
        n += 1
        url = f"{endpoint}?query={quote(f'ASK {{}} # drain {n} {time.time()}')}"
        t = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=limit) as resp:
                if resp.status == 200 and time.monotonic() - t < 0.2:
                    return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.5)
    return time.monotonic() - began


def cold_script(work: Path, name: str, path: str, text: str) -> Path:
    script = work / f"{name}.lua"
    script.write_text(COLD.format(path=path, query=quote(text, safe=""), accept=ACCEPT))
    return script


def times(ours: dict[str, float | str], theirs: dict[str, float | str]) -> str:
    """How many times Virtuoso's requests/s; none answered in the cell's time: say so."""
    if not theirs["rps"]:
        return "Virtuoso: none in time"
    return f"{float(ours['rps']) / float(theirs['rps']):,.2f}x"


def cell(got: dict[str, float | str]) -> str:
    if not got["rps"]:
        return "no answer within the cell"
    text = f"{got['rps']:,.0f} · {got['p50']:.1f} / {got['p99']:.1f}"
    return text + (f" ({got['errors']})" if got["errors"] else "")


def run_size(pledges: int, args: argparse.Namespace, tmp: Path) -> list[str]:
    work = tmp / str(pledges)
    work.mkdir()
    data = work / "data.nq"
    quads = build_data(pledges, data)
    notes = [f"{quads:,} quads ({pledges:,} synthetic pledges)"]
    print(notes[0], flush=True)
    queries = list(named.catalogue(Settings().queries_dir).values())
    if args.queries:
        queries = [q for q in queries if q.name in args.queries.split(",")]
    rows: list[str] = []
    with contextlib.ExitStack() as stack:
        t = time.perf_counter()
        ours = start("oxigraph", data, 64, Settings().workers, work / "gcm-kg")
        stack.callback(ours.stop)
        notes.append(
            f"gcm-kg ready in {time.perf_counter() - t:.1f} s, query workers answering from "
            f"a {ours.source or 'thread'}"
        )
        print(notes[-1], flush=True)
        vbase, vpath = stack.enter_context(virtuoso(data, notes, work, args.virtuoso_buffers))
        print(notes[-1], flush=True)
        for q in queries:
            example = {p.name: p.example for p in q.params if not p.optional}
            text = bind(q.sparql, q.bindings(example))
            kept = wrk(
                f"{ours.base}/queries/{q.name}?{urlencode(example)}",
                args.seconds,
                args.connections,
                args.timeout,
                None,
            )
            drain(ours.base + "/sparql")
            cold = wrk(
                ours.base + "/sparql",
                args.seconds,
                args.connections,
                args.timeout,
                cold_script(work, f"ours-{q.name}", "/sparql", text),
            )
            drain(ours.base + "/sparql")
            virt = wrk(
                vbase + vpath,
                args.seconds,
                args.connections,
                args.timeout,
                cold_script(work, f"virtuoso-{q.name}", vpath, text),
            )
            drain(vbase + vpath)
            rows.append(
                f"| {q.name} | {cell(kept)} | {cell(cold)} | {cell(virt)} "
                f"| {times(kept, virt)} | {times(cold, virt)} |"
            )
            print(rows[-1], flush=True)
    head = [
        f"### {pledges:,} pledges",
        "",
        *[f"- {n}" for n in notes],
        "",
        "Each cell: requests/s · p50 / p99 ms (wrk, 1 thread, "
        f"{args.connections} connections, {args.seconds:g} s).",
        "",
        "| query | gcm-kg kept | gcm-kg cold | Virtuoso cold | kept ÷ Virtuoso | cold ÷ Virtuoso |",
        "|---|---|---|---|---:|---:|",
    ]
    return head + rows + [""]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pledges", type=int, nargs="+", default=[10_000])
    ap.add_argument("--seconds", type=float, default=5.0, help="per query and server")
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=30.0, help="wrk's per-request timeout")
    ap.add_argument(
        "--virtuoso-buffers",
        type=int,
        default=170_000,
        help="Virtuoso's NumberOfBuffers (8 KB pages; default about 2 GB)",
    )
    ap.add_argument("--queries", default="", help="only these named queries (comma-separated)")
    ap.add_argument("--out", type=Path, help="write the Markdown report here too")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    # one address stands for many clients here: queue for a worker instead of refusing at once
    os.environ |= {
        "GCM_KG_QUERY_PER_CLIENT": "0",
        "GCM_KG_QUERY_QUEUE": str(args.connections),
        "GCM_KG_QUERY_QUEUE_WAIT": str(args.timeout),
    }
    tmp = Path(tempfile.mkdtemp(prefix="gcmkg-wrk-bench-"))
    try:
        lines: list[str] = []
        for pledges in args.pledges:
            lines += run_size(pledges, args, tmp)
        report = "\n".join(lines)
        print(report)
        if args.out:
            args.out.write_text(report)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
