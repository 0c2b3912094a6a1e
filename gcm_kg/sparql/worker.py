"""The query worker process: answers from an in-memory copy of the store, or from a read-only
checkpoint until that copy is loaded; serializes natively.

Oxigraph answers 2-5x faster from memory than from its on-disk RocksDB files (lookups and
aggregates alike, bench/RESULTS-http.md), so when the parent offers an N-Quads dump of the
request's store version the worker loads it into memory in a background thread at low CPU
priority, answering from the checkpoint meanwhile. A request names its version's dump only, so a
copy is never of another version than the checkpoint it stands for.

A worker cannot open an Internet socket (``sandbox.forbid_network``): a SERVICE or LOAD that got
past the guard fails here with "outbound", never reaches the network.

Imports only pyoxigraph (and the small sandbox module) so a replacement worker starts quickly
after a kill. Results of SELECT
are written here (JSON, XML, CSV, TSV) so the row limit can cut them; graphs and booleans use
Oxigraph's own serializers.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from gcm_kg.formats import engine_formats
from gcm_kg.sparql.sandbox import SandboxError, forbid_network

QUERY_NICE = 10  # the workers' nice value (their copy loader has the same)
LOAD_MB = 64  # memory a load needs beyond three times its dump's size (parser, thread arena)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_FORMATS = engine_formats()


def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.Triple):  # RDF-star quoted triple
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(t.subject),
                "predicate": _json_term(t.predicate),
                "object": _json_term(t.object),
            },
        }
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>"
            f"{_xml_term(t.predicate)}</predicate><object>{_xml_term(t.object)}</object></triple>"
        )
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def _csv_value(t: Any) -> str:
    """SPARQL 1.1 CSV: IRIs and literals as plain strings, blank nodes as _:label, quoted
    triples (RDF-star) in N-Triples syntax."""
    if isinstance(t, ox.Triple):
        return str(t)
    return "_:" + t.value if isinstance(t, ox.BlankNode) else str(t.value)


class Cut:
    """Why an answer was cut short: at the row limit, or at the byte limit."""

    def __init__(self) -> None:
        self.rows = False
        self.bytes = False


def _select_parts(names: list[str], media_type: str) -> tuple[str, Callable[[Any], str], str, str]:
    """(head, one row's text, separator between rows, tail) of a SELECT answer's document."""
    if media_type == "application/sparql-results+json":
        head = json.dumps({"head": {"vars": names}}, ensure_ascii=False)[:-1]

        def json_row(r: Any) -> str:
            cells = {n: _json_term(v) for n, v in zip(names, r, strict=True) if v is not None}
            return json.dumps(cells, ensure_ascii=False)

        return head + ', "results": {"bindings": [', json_row, ", ", "]}}"
    if media_type == "application/sparql-results+xml":
        head = "\n".join(
            [
                '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
                "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>",
                "<results>",
            ]
        )

        def xml_row(r: Any) -> str:
            cells = "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(v)}</binding>"
                for n, v in zip(names, r, strict=True)
                if v is not None
            )
            return f"\n<result>{cells}</result>"

        return head, xml_row, "", "\n</results>\n</sparql>\n"
    if media_type == "text/csv":

        def csv_row(r: Any) -> str:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow(
                ["" if v is None else _csv_value(v) for v in r]
            )
            return out.getvalue()

        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow(names)
        return header.getvalue(), csv_row, "", ""
    # text/tab-separated-values: terms in SPARQL/N-Triples syntax
    head = "\t".join("?" + n for n in names) + "\n"
    return head, lambda r: "\t".join("" if v is None else str(v) for v in r) + "\n", "", ""


def _least_size(row: list[Any]) -> int:
    """Characters a row's text holds at the least: its terms' values, written in any format."""
    return sum(len(v.value) if hasattr(v, "value") else len(str(v)) for v in row if v is not None)


def select_body(
    names: list[str],
    rows: Iterable[Any],
    media_type: str,
    *,
    limit: int | None = None,
    max_bytes: int | None = None,
    cut: Cut | None = None,
) -> bytes:
    """A SELECT answer, written row by row: at most ``limit`` rows and ``max_bytes`` bytes (the
    rows that fit; the document always complete). Whether and why it was cut goes to ``cut``."""
    cut = cut if cut is not None else Cut()
    head, row_text, sep, tail = _select_parts(names, media_type)
    parts = [head.encode("utf-8")]
    size = len(parts[0]) + len(tail.encode("utf-8"))
    for i, r in enumerate(rows):
        if limit is not None and i >= limit:
            cut.rows = True
            break
        row = list(r)
        if max_bytes is not None and size + _least_size(row) > max_bytes:
            cut.bytes = True  # known too large before its text is built (one huge literal)
            break
        chunk = ((sep if i else "") + row_text(row)).encode("utf-8")
        if max_bytes is not None and size + len(chunk) > max_bytes:
            cut.bytes = True
            break
        parts.append(chunk)
        size += len(chunk)
    parts.append(tail.encode("utf-8"))
    return b"".join(parts)


def graph_body(
    triples: Iterable[Any],
    fmt: Any,
    prefixes: dict[str, str] | None,
    *,
    limit: int | None = None,
    max_bytes: int | None = None,
    cut: Cut | None = None,
) -> bytes:
    """A graph answer by Oxigraph's serializer: at most ``limit`` triples and ``max_bytes`` bytes.

    Triples are taken while their N-Triples size fits the budget (so a huge answer is never
    held whole); a format more verbose than N-Triples that still overshoots keeps a share of
    them, cut until it fits."""
    cut = cut if cut is not None else Cut()
    kept: list[Any] = []
    size = 0
    for i, t in enumerate(triples):
        if limit is not None and i >= limit:
            cut.rows = True
            break
        size += len(str(t)) + 3
        if max_bytes is not None and size > max_bytes:
            cut.bytes = True
            break
        kept.append(t)
    body = ox.serialize(kept, format=fmt, prefixes=prefixes) or b""
    while max_bytes is not None and len(body) > max_bytes and kept:
        cut.bytes = True
        kept = kept[: int(len(kept) * max_bytes / len(body) * 0.9)]
        body = ox.serialize(kept, format=fmt, prefixes=prefixes) or b""
    return body


def boolean_body(value: bool, media_type: str) -> bytes:
    if media_type == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == "application/sparql-results+xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return ("true\n" if value else "false\n").encode()


def _media_type(req: dict[str, Any], form: str) -> str | None:
    """The wanted media type for a form; ``boolean`` may differ from ``results`` (no CSV ASK)."""
    wanted = req["media_types"]
    if form == "ASK":
        return wanted.get("boolean", wanted.get("results"))  # type: ignore[no-any-return]
    return wanted.get("results" if form == "SELECT" else "graph")  # type: ignore[no-any-return]


def answer(store: ox.Store, req: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if req.get("base_iri"):  # relative IRIs resolve against the endpoint (SPARQL Protocol §2.1.4)
        kwargs["base_iri"] = req["base_iri"]
    if req["default_graphs"] is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graphs"]]
    else:
        kwargs["use_default_graph_as_union"] = True
    if req["named_graphs"] is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
    result = store.query(req["sparql"], **kwargs)
    limit, max_bytes = req["limit"], req.get("max_bytes")
    form = (
        "ASK"
        if isinstance(result, ox.QueryBoolean)
        else "SELECT"
        if isinstance(result, ox.QuerySolutions)
        else "CONSTRUCT"
    )
    mt = _media_type(req, form)
    if mt is None:  # negotiation found nothing acceptable for this form: a 406 names the offers
        message = req.get("refusals", {}).get(form) or f"no acceptable format for {form} results"
        return {"ok": False, "kind": "not_acceptable", "message": message}
    cut = Cut()
    if isinstance(result, ox.QueryBoolean):
        body = boolean_body(bool(result), mt)
    elif isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        body = select_body(names, result, mt, limit=limit, max_bytes=max_bytes, cut=cut)
    else:
        fmt = GRAPH_FORMATS.get(mt, ox.RdfFormat.N_TRIPLES)
        prefixes = req.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        body = graph_body(result, fmt, prefixes, limit=limit, max_bytes=max_bytes, cut=cut)
    return {
        "ok": True,
        "form": form,
        "media_type": mt,
        "truncated": cut.rows or cut.bytes,
        "byte_cut": cut.bytes,
        "body": body,
    }


def data_size() -> int:
    """Bytes of this process's data segment and private mappings: what RLIMIT_DATA counts."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(size: int) -> None:
    """Cap this process's heap (RLIMIT_DATA) at ``size`` bytes: past it the engine's allocation
    fails and the process aborts, so one query cannot take the machine's memory (a cartesian
    ORDER BY grows by about 300 MB a second). Thread stacks count too: RocksDB needs about 100 MB
    to open. Only the soft limit is set, so a loaded copy of the data can raise it by its size."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (size, hard))


def lower_priority() -> None:
    """Give the calling thread a nice value of 10 (Linux threads have their own)."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class MemoryCopy:
    """The data of one store version in memory, loaded from its N-Quads dump in the background.

    Quads are added as parsed, not with ``Store.load``: that one renames blank nodes, and a copy
    must answer with the labels the checkpoint has (twice as slow: 5 s at 930,000 quads). The
    memory limit is for queries: while a copy loads it is raised by three times the dump's size
    and 64 MB (a load peaks at about 2.4 times the dump, the copy keeps 2), and once the main
    thread takes a loaded copy it is set to what the process then holds plus ``memory_mb``, so a
    query may still use ``memory_mb``.
    """

    def __init__(self, memory_mb: int) -> None:
        self.memory = memory_mb * 1024 * 1024
        self._lock = threading.Lock()
        self._wanted: str | None = None  # the dump the latest request named
        self._ready: tuple[str, ox.Store] | None = None
        self._loader: threading.Thread | None = None
        self._settled = True  # the memory limit fits the copy held

    def get(self, dump: str | None) -> ox.Store | None:
        """The copy of ``dump`` if loaded; otherwise start loading it and return None."""
        with self._lock:
            if dump != self._wanted:
                self._wanted = dump
                if self._ready is not None and self._ready[0] != dump:
                    self._ready = None  # another version's data: never answer from it again
                if dump is not None and self._loader is None:
                    self._loader = threading.Thread(target=self._load, daemon=True)
                    self._loader.start()
            ready = self._ready[1] if self._ready is not None and self._ready[0] == dump else None
            if ready is not None and not self._settled and self._loader is None:
                self._settled = True  # between queries: what is held now is the copy
                if self.memory:
                    limit_memory(data_size() + self.memory)
            return ready

    def join(self) -> None:
        """Wait until no load is under way (the wanted copy is loaded, or failed)."""
        while True:
            with self._lock:
                loader = self._loader
            if loader is None:
                return
            loader.join()

    def _load(self) -> None:
        """Load the wanted dump, then any dump wanted meanwhile; one load at a time."""
        lower_priority()  # queries go first
        done: str | None = None
        while True:
            with self._lock:
                dump = self._wanted
                if dump is None or dump == done:
                    self._loader = None
                    return
            done = dump
            try:
                if self.memory:
                    allowance = 3 * os.path.getsize(dump) + LOAD_MB * 1024 * 1024
                    limit_memory(data_size() + self.memory + allowance)
                copy = ox.Store()
                copy.bulk_extend(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS))
            except (OSError, SyntaxError, ValueError):
                continue  # gone (a newer version removed it) or unreadable: stay on the checkpoint
            with self._lock:
                if self._wanted == dump:
                    self._ready = (dump, copy)
                    self._settled = False


OUTBOUND = "the query tried to reach the network: this endpoint makes no outbound requests"


def is_outbound(exc: OSError) -> bool:
    """Whether an engine error is the network filter refusing a socket (EACCES)."""
    text = str(exc)
    return exc.errno == errno.EACCES or "(os error 13)" in text or "[Errno 13]" in text


def sandbox() -> None:
    """No Internet sockets for this process, whatever a query says (see ``sandbox``)."""
    try:
        forbid_network(all_threads=True)
    except SandboxError as exc:  # not Linux, or seccomp disabled: the guard alone protects
        print(f"gcm-kg query worker: no network filter ({exc})", file=sys.stderr)


def warm(copy: MemoryCopy, req: dict[str, Any]) -> dict[str, Any]:
    """Answer a warm-up message: start loading the copy it names (``warm`` "start"), or load it
    before answering (``warm`` "wait": a replacement worker takes no query before that)."""
    dump = req.get("copy")
    if req["warm"] == "wait" and dump is not None:
        copy.get(dump)
        copy.join()
    source = "copy" if dump is not None and copy.get(dump) is not None else "checkpoint"
    return {"ok": True, "warm": True, "source": source}


def main(conn: Connection, memory_mb: int = 0) -> None:
    sandbox()
    # below the web server's threads: a runaway query burning a core must not slow the pages
    # and kept answers the server writes meanwhile (threads started later inherit it)
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, QUERY_NICE)
    if memory_mb:
        limit_memory(memory_mb * 1024 * 1024)
    copy = MemoryCopy(memory_mb)
    checkpoint: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        if req.get("warm"):
            try:
                conn.send(warm(copy, req))
            except OSError:  # the parent stopped waiting (closed, or gave up on the warm-up)
                return
            continue
        try:
            store = copy.get(req.get("copy"))
            if store is not None:
                checkpoint, opened = None, None  # the copy answers: close the on-disk files
                source = "copy"
            else:
                if req["checkpoint"] != opened:
                    checkpoint = None  # close the previous checkpoint before opening the next
                    checkpoint = ox.Store.read_only(req["checkpoint"])
                    opened = req["checkpoint"]
                assert checkpoint is not None
                store, source = checkpoint, "checkpoint"
            began = time.perf_counter()
            try:
                reply = answer(store, req)
            except OSError as exc:
                if not is_outbound(exc):
                    raise
                reply = {"ok": False, "kind": "outbound", "message": OUTBOUND}
            reply["source"] = source
            reply["elapsed_ms"] = (time.perf_counter() - began) * 1000
        except SyntaxError as exc:
            reply = {"ok": False, "kind": "syntax", "message": str(exc)}
        except MemoryError:  # the heap limit reached while writing: the query's fault, a 503
            reply = {"ok": False, "kind": "memory", "message": "out of memory"}
        except OSError as exc:  # the checkpoint could not be read
            reply = {"ok": False, "kind": "store", "message": str(exc)}
        except Exception as exc:  # report every failure to the parent, keep serving
            reply = {"ok": False, "kind": "error", "message": f"{type(exc).__name__}: {exc}"}
        conn.send(reply)
