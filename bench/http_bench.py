"""HTTP benchmark: every named query through /queries on waitress over loopback, per backend.

    GCM_KG_SHARED_DIR=/work/shared python bench/http_bench.py [--pledges 10000] [--out FILE]

Data: the built graph (data/graph/gcm-kg.nq; run ``gcm-kg build`` first) plus N synthetic
pledges generated at run time by ``store_bench.synthetic_pledges`` (never shipped).

For each backend the endpoint runs in its own process (``--serve`` mode of this script):
waitress with ``--threads`` request threads; the embedded Oxigraph store on disk with its
query worker processes (the production set-up), rdflib's in-memory store in-thread. Each
backend is measured twice, with the result cache off (cold: every request runs the engine)
and on (warm: what repeated portal queries cost), in the same run; Virtuoso's own endpoint
(``--virtuoso``, Debian's virtuoso-opensource-7-bin, own temporary database) is the
reference for throughput. Per query and backend:

- cold p50 / p99: sequential requests for ``--seconds`` (at least one), cache off;
- in-process p50: the same engine call without HTTP (Oxigraph only: ``worker.answer`` on its
  own copy of the store), run alternately with the cold HTTP requests so that both see the same
  machine; the HTTP overhead is the median of the paired differences (at least ``--pairs``);
- HTTP path p50 / p99: each cold request's latency less the engine time its answer reports in
  its ``Server-Timing`` header, the same request's own cost of client, HTTP, Flask and pipe;
- load: ``--clients`` threads on kept-alive connections for ``--seconds``, cache on,
  after one untimed warm-up request; requests per second and latency p50 / p99. All warm
  servers (and Virtuoso) run at once and take the load in ``--rounds`` turns of rotating order,
  so a ratio compares the same moments of the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gcm_kg.config import Settings  # noqa: E402
from gcm_kg.sparql import named, worker  # noqa: E402
from gcm_kg.store import Store  # noqa: E402
from gcm_kg.store.memory import MemoryStore  # noqa: E402
from gcm_kg.store.oxigraph import OxigraphStore  # noqa: E402
from gcm_kg.store.sparql_text import bind  # noqa: E402

JSON = "application/sparql-results+json"


# -- the server side ---------------------------------------------------------------------------
def serve(backend: str, data: Path, port: int, cache_mb: int, threads: int, work: Path) -> None:
    """Load ``data`` into a fresh store of ``backend`` and serve the app until killed."""
    from dataclasses import replace

    from waitress.server import create_server

    from gcm_kg.serving import waitress_options
    from gcm_kg.web import create_app
    from gcm_kg.web.app import executor

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queueing is expected here
    store: Store = OxigraphStore(work / "store") if backend == "oxigraph" else MemoryStore()
    store.replace_all(data.read_bytes())
    settings = replace(
        Settings.from_env(),
        rate_limit=0,
        result_cache_mb=cache_mb,
        workers=threads,
        query_timeout=120.0,  # measure slow engines instead of cutting them off
    )
    app = create_app(settings, store=store)
    pool = executor(app).pool  # start the query workers before saying ready
    # measure what a server that has run a while answers from: each worker's in-memory copy
    # (where the store is small enough for one), loaded in the background after start and writes
    source = "copy" if pool is not None and pool.preload(timeout=600) else "checkpoint"
    options = waitress_options(replace(settings, host="127.0.0.1", port=port))
    server = create_server(app, **options)  # as gcm-kg serve runs it
    print("ready", source if pool is not None else "", flush=True)  # clients may connect
    server.run()


@dataclass
class Server:
    process: subprocess.Popen  # type: ignore[type-arg]
    base: str
    source: str  # what the query workers answer from: "copy", "checkpoint" or "" (none)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def start(backend: str, data: Path, cache_mb: int, threads: int, work: Path) -> Server:
    from tests.integration.virtuoso import free_port

    port = free_port()
    cmd = [sys.executable, __file__, "--serve", backend, "--data", str(data)]
    cmd += ["--port", str(port), "--cache-mb", str(cache_mb), "--threads", str(threads)]
    cmd += ["--work", str(work)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=os.environ)
    assert proc.stdout is not None
    said = proc.stdout.readline().split()
    if not said or said[0] != "ready":
        raise RuntimeError(f"the {backend} server did not start")
    return Server(proc, f"http://127.0.0.1:{port}", " ".join(said[1:]))


# -- the client side ---------------------------------------------------------------------------
class Client:
    """One kept-alive connection on a raw socket; GET a path or POST a query, read the answer.

    A minimal HTTP/1.1 client, as wrk is: the request bytes are built once per call and only the
    status line, Content-Length and chunked framing are parsed, so the figures are the server's
    (``http.client`` adds about 0.3 ms a request here, parsing headers with the email package).
    """

    def __init__(self, base: str) -> None:
        self.parts = urlsplit(base)
        self.sock: socket.socket | None = None
        self.engine_ms: float | None = None  # the last answer's Server-Timing query;dur=

    def get(self, path: str) -> bytes:
        return self._send("GET", path, b"", {"Accept": JSON})

    def post_query(self, path: str, query: str) -> bytes:
        headers = {"Accept": JSON, "Content-Type": "application/x-www-form-urlencoded"}
        return self._send("POST", path, urlencode({"query": query}).encode(), headers)

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.parts.hostname, self.parts.port), timeout=300)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.parts.netloc}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head += f"Content-Length: {len(body)}\r\n" if method == "POST" else ""
        request = head.encode() + b"\r\n" + body
        for attempt in (1, 2):
            try:
                if self.sock is None:
                    self.sock = self._connect()
                self.sock.sendall(request)
                status, data = self._read()
                if status != 200:
                    raise RuntimeError(f"{status} for {path}: {data[:200]!r}")
                return data
            except (ConnectionError, EOFError):
                if self.sock is not None:  # an idle kept-alive connection was closed
                    self.sock.close()
                self.sock = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _read(self) -> tuple[int, bytes]:
        assert self.sock is not None
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += self._recv()
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        pairs = (x.partition(b":") for x in lines[1:])
        fields = {k.strip().lower(): v.strip() for k, _, v in pairs}
        timing = fields.get(b"server-timing", b"")
        self.engine_ms = float(timing[10:]) if timing.startswith(b"query;dur=") else None
        if fields.get(b"transfer-encoding", b"").lower() == b"chunked":
            return status, self._chunks(rest)
        size = int(fields.get(b"content-length", b"0"))
        body = bytearray(rest)  # grows in place: a large answer is not copied once per read
        while len(body) < size:
            body += self._recv()
        return status, bytes(body[:size])

    def _chunks(self, first: bytes) -> bytes:
        rest, body = bytearray(first), bytearray()
        while True:
            while b"\r\n" not in rest:
                rest += self._recv()
            end = rest.index(b"\r\n")
            size = int(bytes(rest[:end]).split(b";")[0], 16)
            del rest[: end + 2]
            while len(rest) < size + 2:
                rest += self._recv()
            body += rest[:size]
            del rest[: size + 2]
            if size == 0:
                return bytes(body)

    def _recv(self) -> bytes:
        assert self.sock is not None
        data = self.sock.recv(262_144)
        if not data:
            raise EOFError("the server closed the connection")
        return data


def getter(base: str, path: str) -> Callable[[], bytes]:
    """GET ``path`` on a connection of its own, again and again."""
    client = Client(base)
    return lambda: client.get(path)


def poster(base: str, path: str, query: str) -> Callable[[], bytes]:
    """POST ``query`` to ``path`` on a connection of its own (Virtuoso's endpoint)."""
    client = Client(base)
    return lambda: client.post_query(path, query)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median_interval(samples: list[float], level: float = 0.95) -> tuple[float, float] | None:
    """A distribution-free confidence interval for the median (order statistics of a binomial):
    None when there are too few samples for one at this level (fewer than 6 at 95 %)."""
    n = len(samples)
    ordered = sorted(samples)
    below = 0.0  # P(Bin(n, 1/2) <= k - 1), growing with k
    k = 0
    while k < n // 2:
        below_next = below + math.comb(n, k) / 2**n
        if below_next > (1 - level) / 2:
            break
        below, k = below_next, k + 1
    if k == 0:
        return None
    return ordered[k - 1], ordered[n - k]


def sequential(call: Callable[[], object], seconds: float, runs: int) -> list[float]:
    """Timed runs (ms) after a warm-up; a call slower than a quarter of ``seconds`` counts."""
    t = time.perf_counter()
    call()
    first = (time.perf_counter() - t) * 1000
    samples: list[float] = [first] if first > seconds * 250 else []
    began = time.perf_counter()
    while len(samples) < runs and (time.perf_counter() - began < seconds or not samples):
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def paired(
    client: Client, path: str, b: Callable[[], object], seconds: float, runs: int, least: int
) -> tuple[list[float], list[float], list[float]]:
    """Alternating timed runs (ms) of GET ``path`` and ``b`` after one warm-up each: both see
    the same machine, so their difference is not the noise of two moments (at least ``least``
    pairs). Also each GET's own path cost: its latency less the engine time its Server-Timing
    header reports (the same request, so free of the engine's own variation)."""
    client.get(path)
    b()
    xs: list[float] = []
    ys: list[float] = []
    paths: list[float] = []
    began = time.perf_counter()
    while len(xs) < runs and (time.perf_counter() - began < seconds or len(xs) < least):
        t = time.perf_counter()
        client.get(path)
        xs.append((time.perf_counter() - t) * 1000)
        if client.engine_ms is None:
            raise RuntimeError(f"no Server-Timing query time for {path}: was it cached?")
        paths.append(xs[-1] - client.engine_ms)
        t = time.perf_counter()
        b()
        ys.append((time.perf_counter() - t) * 1000)
    return xs, ys, paths


def load(
    make: Callable[[], Callable[[], object]], clients: int, seconds: float
) -> tuple[float, list[float]]:
    """``clients`` threads, each with its own connection, for ``seconds``: (req/s, latencies)."""
    make()()  # warm-up: fills the cache
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        call = make()
        while time.perf_counter() < stop:
            t = time.perf_counter()
            call()
            latencies[i].append((time.perf_counter() - t) * 1000)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - began
    merged = [x for lat in latencies for x in lat]
    return len(merged) / elapsed, merged


# -- the run -----------------------------------------------------------------------------------
def build_data(pledges: int, path: Path) -> int:
    from store_bench import synthetic_pledges  # the same generator as the store benchmark

    real_nq = (ROOT / "data" / "graph" / "gcm-kg.nq").read_bytes()
    real = ox.Store()
    real.load(real_nq, format=ox.RdfFormat.N_QUADS)
    synth = synthetic_pledges(real, pledges)
    path.write_bytes(real_nq + (ox.serialize(synth, format=ox.RdfFormat.N_QUADS) or b""))
    return len(real) + len(synth)


def in_process(data: Path, work: Path) -> tuple[Callable[[str], object], str]:
    """What a query worker does for one request, timed without HTTP and IPC, on what the workers
    read: an in-memory copy of a checkpoint when the store is small enough for one
    (``GCM_KG_QUERY_COPY_MB``), else the read-only checkpoint itself (a checkpoint is laid out
    more compactly than a freshly loaded store, and answers aggregates faster)."""
    from gcm_kg.sparql.pool import disk_size

    loaded = OxigraphStore(work / "inproc")
    loaded.replace_all(data.read_bytes())
    checkpoint = work / "inproc-checkpoint"
    loaded.native.backup(str(checkpoint))
    loaded.close()
    store = ox.Store.read_only(str(checkpoint))
    source = "checkpoint"
    if disk_size(checkpoint) <= Settings.from_env().query_copy_mb * 1_000_000:
        store.dump(str(work / "inproc.nq"), format=ox.RdfFormat.N_QUADS)
        store = ox.Store()  # as worker.MemoryCopy loads it
        store.bulk_extend(ox.parse(path=str(work / "inproc.nq"), format=ox.RdfFormat.N_QUADS))
        source = "copy"
    request = {
        "default_graphs": None,
        "named_graphs": None,
        "media_types": {"results": JSON},
    }

    def run(text: str) -> object:
        return worker.answer(store, {**request, "sparql": text, "limit": 10_000})

    return run, source


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pledges", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=3.0, help="per query, backend and mode")
    ap.add_argument("--runs", type=int, default=300, help="at most this many cold runs")
    ap.add_argument("--pairs", type=int, default=7, help="at least this many in-process pairs")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    ap.add_argument(
        "--rounds", type=int, default=3, help="turns per query in which the warm servers take load"
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=Settings().workers,
        help="waitress request threads (default: what gcm-kg serve uses, GCM_KG_WORKERS)",
    )
    ap.add_argument("--backends", default="oxigraph,rdflib")
    ap.add_argument("--virtuoso", action="store_true", help="also Virtuoso's own endpoint")
    ap.add_argument("--queries", default="", help="only these named queries (comma-separated)")
    ap.add_argument("--out", type=Path, help="write the Markdown report here too")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--cache-mb", type=int, default=64, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.data, args.port, args.cache_mb, args.threads, args.work)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="gcmkg-http-bench-"))
    data = tmp / "data.nq"
    quads = build_data(args.pledges, data)
    notes = [
        f"{quads} quads ({args.pledges} synthetic pledges); {args.clients} client threads, "
        f"{args.threads} waitress threads, {args.seconds:g} s per cell"
    ]
    print(notes[0], flush=True)
    queries = list(named.catalogue(ROOT / "queries").values())
    if args.queries:
        queries = [q for q in queries if q.name in args.queries.split(",")]
    paths = {
        q.name: f"/queries/{q.name}?"
        + urlencode({p.name: p.example for p in q.params if not p.optional})
        for q in queries
    }
    results: dict[tuple[str, str, str], object] = {}
    backends = [b for b in args.backends.split(",") if b]
    inproc, inproc_source = in_process(data, tmp)
    notes.append(
        f"in-process runs read an in-memory {inproc_source}"
        if inproc_source == "copy"
        else "in-process runs read the on-disk checkpoint"
    )
    texts = {
        q.name: bind(q.sparql, q.bindings({p.name: p.example for p in q.params if not p.optional}))
        for q in queries
    }
    stack = contextlib.ExitStack()
    with stack:
        for backend in backends:  # cold: one server at a time, every request runs the engine
            server = stack.enter_context(started(backend, "cold", data, 0, args, tmp, notes))
            for q in queries:
                path = paths[q.name]
                if backend == "oxigraph":
                    # HTTP and in-process alternately: the overhead is their paired gap
                    http, here, path_ms = paired(
                        Client(server.base),
                        path,
                        lambda t=texts[q.name]: inproc(t),  # type: ignore[misc]
                        args.seconds,
                        args.runs,
                        args.pairs,
                    )
                    results[(backend, "cold", q.name)] = http
                    results[("inproc", "cold", q.name)] = here
                    results[("path", "cold", q.name)] = path_ms
                else:
                    call = getter(server.base, path)
                    results[(backend, "cold", q.name)] = sequential(call, args.seconds, args.runs)
                print(f"  {q.name} cold done", flush=True)
            stack.pop_all().close()  # stop it before the next one starts
        makers: dict[str, Callable[[str], Callable[[], Callable[[], object]]]] = {}
        if args.virtuoso:
            base, path = stack.enter_context(virtuoso(data, notes, tmp))
            for q in queries:
                results[("virtuoso", "cold", q.name)] = sequential(
                    poster(base, path, texts[q.name]), args.seconds, args.runs
                )
                print(f"  {q.name} virtuoso cold done", flush=True)
            makers["virtuoso"] = lambda name, b=base, p=path: lambda: poster(b, p, texts[name])
        for backend in backends:  # warm: all servers up, measured in turns (same moments)
            server = stack.enter_context(started(backend, "warm", data, 64, args, tmp, notes))
            makers[backend] = lambda name, b=server.base: lambda: getter(b, paths[name])
        for q in queries:
            results.update(warm_turns(q.name, makers, args.clients, args.seconds, args.rounds))
            print(f"  {q.name} warm done", flush=True)
    report = render(notes, queries, backends, results, args.virtuoso)
    print(report)
    if args.out:
        args.out.write_text(report)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


@contextlib.contextmanager
def started(backend, mode, data, cache_mb, args, tmp, notes) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    server = start(backend, data, cache_mb, args.threads, tmp / f"{backend}-{mode}")
    answers = f", query workers answering from a {server.source}" if server.source else ""
    notes.append(f"{backend} ({mode}) server ready in {time.perf_counter() - t:.1f} s{answers}")
    print(notes[-1], flush=True)
    try:
        yield server
    finally:
        server.stop()


def warm_turns(
    name: str,
    makers: dict[str, Callable[[str], Callable[[], Callable[[], object]]]],
    clients: int,
    seconds: float,
    rounds: int,
) -> dict[tuple[str, str, str], tuple[float, list[float]]]:
    """Each backend under load for ``seconds`` in all, in ``rounds`` turns taken in rotating
    order, so that every backend sees the same moments of a shared machine."""
    counts = dict.fromkeys(makers, 0.0)
    elapsed = dict.fromkeys(makers, 0.0)
    latencies: dict[str, list[float]] = {b: [] for b in makers}
    order = list(makers)
    for turn in range(rounds):
        for backend in order[turn % len(order) :] + order[: turn % len(order)]:
            rate, lat = load(makers[backend](name), clients, seconds / rounds)
            counts[backend] += len(lat)
            elapsed[backend] += len(lat) / rate
            latencies[backend] += lat
    return {(b, "warm", name): (counts[b] / elapsed[b], latencies[b]) for b in makers}


@contextlib.contextmanager
def virtuoso(
    data: Path, notes: list[str], tmp: Path, buffers: int = 20_000
) -> Iterator[tuple[str, str]]:
    """Virtuoso 7 on loopback with its own database, loaded with ``data``: (base URL, path)."""
    from gcm_kg.store.remote import RemoteStore
    from tests.integration.virtuoso import VirtuosoServer

    server = VirtuosoServer(tmp / "virtuoso", buffers)
    try:
        notes.append(f"Virtuoso answering in {server.start():.1f} s")
        loader = RemoteStore(
            server.url, graph_store_url=server.graph_store_url, timeout=900, bulk_timeout=900
        )
        t = time.perf_counter()
        loader.replace_all(data.read_bytes())
        notes.append(
            f"Virtuoso loaded (RemoteStore.replace_all) in {time.perf_counter() - t:.1f} s"
        )
        path = urlsplit(server.url).path
        yield server.url[: -len(path)], path
    finally:
        server.stop()


def render(notes, queries, backends, results, virtuoso: bool) -> str:  # type: ignore[no-untyped-def]
    cols = backends + (["virtuoso"] if virtuoso else [])
    out = ["\n".join(f"- {n}" for n in notes), ""]
    head = "| query | " + " | ".join(f"{b} cold p50 / p99 ms" for b in cols)
    head += " | oxigraph in-process p50 | HTTP - in-process p50 (paired; 95 % CI)"
    head += " | HTTP path p50 / p99 (latency - Server-Timing) |"
    out += [head, "|" + "---|" * (len(cols) + 4)]
    for q in queries:
        cells = []
        for b in cols:
            s = results[(b, "cold", q.name)]
            cells.append(f"{pct(s, 0.5):.2f} / {pct(s, 0.99):.2f} ({len(s)})")
        here = results.get(("inproc", "cold", q.name))
        path = results.get(("path", "cold", q.name))
        inp = statistics.median(here) if here else float("nan")
        over = "n/a"
        if here:
            http = results[("oxigraph", "cold", q.name)]
            diffs = [x - y for x, y in zip(http, here, strict=True)]
            interval = median_interval(diffs)
            over = f"{statistics.median(diffs):+.2f}"
            if interval:
                over += f" ({interval[0]:+.2f} … {interval[1]:+.2f}; {len(diffs)} pairs)"
        own = f"{pct(path, 0.5):.2f} / {pct(path, 0.99):.2f}" if path else "n/a"
        out.append(f"| {q.name} | " + " | ".join(cells) + f" | {inp:.2f} | {over} | {own} |")
    out.append("")
    head = "| query | " + " | ".join(f"{b} req/s (p50 / p99 ms)" for b in cols)
    ratios = [f"oxigraph ÷ {b}" for b in cols if b != "oxigraph"]
    head += "".join(f" | {r}" for r in ratios)
    out += [head + " |", "|" + "---|" * (len(cols) + len(ratios) + 1)]
    for q in queries:
        cells, rates = [], {}
        for b in cols:
            rate, lat = results[(b, "warm", q.name)]
            rates[b] = rate
            cells.append(f"{rate:,.0f} ({pct(lat, 0.5):.2f} / {pct(lat, 0.99):.2f})")
        rs = [f"{rates['oxigraph'] / rates[b]:.2f}x" for b in cols if b != "oxigraph"]
        out.append(f"| {q.name} | " + " | ".join(cells + rs) + " |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
