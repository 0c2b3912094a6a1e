"""Soak: ``gcm-kg serve`` under steady load with hostile requests mixed in, for a fixed time.

    GCM_KG_SHARED_DIR=/work/shared python bench/soak.py [--seconds 600] [--interval 60]
        [--clients 16] [--hostile-every 10] [--workers 2]

Starts the real ``gcm-kg serve`` (waitress, on-disk Oxigraph built into a temporary folder,
query worker processes, loopback only, rate limit off since every client shares one address),
then drives ``--clients`` kept-alive clients through every named query and the dereferencing of
graph resources (``bench/loadgen.py``) for ``--seconds``, reporting each ``--interval``. Every
``--hostile-every`` seconds a hostile request goes in as well, in turn: a runaway cartesian
ORDER BY (must get 503 at the time limit, and its worker is killed and replaced), a sort of a
cartesian product (503 at the query memory limit), SERVICE to a loopback port (400), 3,000
nested groups (400), an update (403). The table shows per interval:
throughput, p50 and p99 latency, errors (any other status, or a failed request), the hostile
requests answered as expected, and the resident memory of the server and its query workers (at
the interval's end, and the peak sampled every half second), so leaks and slow degradation
show. Stops by itself and stops the server.

    python bench/soak.py --stall 4 --seconds 30 --interval 10

The stall scenario: ``--stall N`` clients each send the runaway ORDER BY again and again (each
runs until the time limit or is refused at once when the workers are busy), while the load goes
on; the mix is requested once first so its named queries are kept replies. The table then shows
the p99 of the kept named-query replies and of the resource pages separately, and the statuses
the runaways got. Hostile requests are off in this mode.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402

HOSTILE = [
    (
        "runaway ORDER BY (time limit)",
        "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
        "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i))) < 0) } ORDER BY ?i ?f ?c",
        503,
    ),
    ("sorting a product (memory limit)", "SELECT ?a { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", 503),
    ("SERVICE", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 400),
    ("3,000 nested groups", "SELECT * WHERE " + "{" * 3000 + "}" * 3000, 400),
    ("update", "DELETE WHERE { ?s ?p ?o }", 403),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(work: Path, port: int, workers: int) -> subprocess.Popen[str]:
    env = (
        os.environ
        | {
            "GCM_KG_STORE": f"oxigraph:{work / 'store'}",
            "GCM_KG_GRAPH_DIR": str(work / "graph"),
            "GCM_KG_HOST": "127.0.0.1",
            "GCM_KG_RATE_LIMIT": "0",
        }
        | ({"GCM_KG_WORKERS": str(workers)} if workers else {})
    )
    log = (work / "serve.log").open("w")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "gcm_kg", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/queries"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gcm-kg serve exited: {(work / 'serve.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gcm-kg serve did not answer within 120 s")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the query workers), in MB."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


class PeakRss:
    """Samples the server's resident memory every half second; ``take()`` returns the peak since
    the last call (a memory-hungry query lives between interval ends)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid))

    def take(self) -> float:
        peak, self.peak = max(self.peak, rss_mb(self.pid)), 0.0
        return peak

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()


class Hostile:
    """Sends one hostile request every ``every`` seconds and checks its status."""

    def __init__(self, url: str, every: float) -> None:
        self.url, self.every = url, every
        self.sent = self.expected = 0
        self.wrong: list[str] = []
        self._stop = threading.Event()
        self._turns = itertools.cycle(HOSTILE)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            name, query, status = next(self._turns)
            req = urllib.request.Request(  # POSTed: a long query would pass the header limit
                self.url + "/sparql",
                data=query.encode(),
                headers={"Accept": "application/json", "Content-Type": "application/sparql-query"},
            )
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    got = resp.status
            except urllib.error.HTTPError as exc:
                got = exc.code
            except OSError as exc:
                got, name = 0, f"{name} ({exc})"
            self.sent += 1
            if got == status:
                self.expected += 1
            else:
                self.wrong.append(f"{name}: {got}")

    def stop(self) -> tuple[int, int]:
        self._stop.set()
        self.thread.join()
        return self.sent, self.expected


class Runaways:
    """``n`` clients sending the runaway query in a loop, counting the statuses they get."""

    def __init__(self, url: str, n: int) -> None:
        self.url = url
        self.statuses: dict[int, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(n)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        query = HOSTILE[0][1].encode()
        while not self._stop.is_set():
            req = urllib.request.Request(
                self.url + "/sparql",
                data=query,
                headers={"Accept": "application/json", "Content-Type": "application/sparql-query"},
            )
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    got = resp.status
            except urllib.error.HTTPError as exc:
                got = exc.code
                if got in (429, 503):  # refused at once: try again soon, as a stubborn client
                    self._stop.wait(0.05)
            except OSError:
                got = 0
            with self._lock:
                self.statuses[got] = self.statuses.get(got, 0) + 1

    def take(self) -> str:
        with self._lock:
            seen, self.statuses = dict(sorted(self.statuses.items())), {}
        return ", ".join(f"{k}: {v}" for k, v in seen.items()) or "-"

    def stop(self) -> None:
        self._stop.set()
        for t in self.threads:
            t.join(timeout=70)


def stall(url: str, args: argparse.Namespace) -> int:
    """The stall scenario (``--stall N``): see the module docstring."""
    mix = loadgen.request_mix(url)
    loadgen.run(url, mix, clients=1, seconds=60, max_requests=len(mix))  # kept replies made
    runaways = Runaways(url, args.stall)
    if args.stall:
        time.sleep(1.0)  # the runaways hold the workers before measuring
    print(f"{args.stall} runaway clients, {args.clients} clients on the mix\n")
    print(
        "| seconds | requests | req/s | p99 ms kept queries | p99 ms resources | errors "
        "| runaway statuses |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|", flush=True)
    total = loadgen.Result()
    began = time.monotonic()
    try:
        while (left := args.seconds - (time.monotonic() - began)) > 0.5:
            step = loadgen.run(url, mix, clients=args.clients, seconds=min(args.interval, left))
            total.latencies += step.latencies
            total.errors += step.errors
            for kind, values in step.kinds.items():
                total.kinds.setdefault(kind, []).extend(values)
            print(
                f"| {time.monotonic() - began:.0f} | {step.requests} | {step.throughput:.0f} | "
                f"{step.percentile(99, 'query'):.1f} | {step.percentile(99, 'resource'):.1f} | "
                f"{len(step.errors)} | {runaways.take()} |",
                flush=True,
            )
    finally:
        runaways.stop()
    total.seconds = time.monotonic() - began
    print(
        f"\ntotal: {total.summary()}; p99 kept queries {total.percentile(99, 'query'):.1f} ms, "
        f"p99 resources {total.percentile(99, 'resource'):.1f} ms"
    )
    for line in total.errors[:10]:
        print("  ", line)
    return 0 if not total.errors else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=float, default=600.0)
    ap.add_argument("--interval", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--hostile-every", type=float, default=10.0)
    ap.add_argument(
        "--workers",
        type=int,
        default=0,
        help="waitress threads (GCM_KG_WORKERS; 0: the server's default)",
    )
    ap.add_argument(
        "--stall",
        type=int,
        default=-1,
        help="runaway clients (the stall scenario; 0: its baseline)",
    )
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="gcmkg-soak-") as tmp:
        port = free_port()
        proc = start_server(Path(tmp), port, args.workers)
        url = f"http://127.0.0.1:{port}"
        try:
            if args.stall >= 0:
                return stall(url, args)
            mix = loadgen.request_mix(url)
            loadgen.run(url, mix, clients=1, seconds=60, max_requests=len(mix))  # kept replies
            print(
                f"gcm-kg serve on {url}: {args.workers} threads; {args.clients} clients, "
                f"{len(mix)} requests in the mix, {args.seconds:g} s in {args.interval:g} s steps; "
                f"a hostile request every {args.hostile_every:g} s; RSS at start "
                f"{rss_mb(proc.pid):.0f} MB\n",
                flush=True,
            )
            print(
                "| minute | requests | req/s | p50 ms | p99 ms | errors | hostile ok (so far) "
                "| RSS MB now | peak RSS MB |"
            )
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
            peak = PeakRss(proc.pid)
            hostile = Hostile(url, args.hostile_every)
            hostile.thread.start()
            total = loadgen.Result()
            began = time.monotonic()
            while (left := args.seconds - (time.monotonic() - began)) > 0.5:
                step = loadgen.run(url, mix, clients=args.clients, seconds=min(args.interval, left))
                total.latencies += step.latencies
                total.statuses.update(step.statuses)
                total.errors += step.errors
                minute = (time.monotonic() - began) / 60
                print(
                    f"| {minute:.1f} | {step.requests} | {step.throughput:.0f} | "
                    f"{step.percentile(50):.1f} | {step.percentile(99):.1f} | {len(step.errors)} | "
                    f"{hostile.expected}/{hostile.sent} | {rss_mb(proc.pid):.0f} | "
                    f"{peak.take():.0f} |",
                    flush=True,
                )
            sent, expected = hostile.stop()
            peak.stop()
            total.seconds = time.monotonic() - began
            print(f"\ntotal: {total.summary()}; hostile {expected}/{sent} as expected")
            for line in total.errors[:10] + hostile.wrong[:10]:
                print("  ", line)
            return 0 if not total.errors and expected == sent else 1
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(main())
