"""SHACL validation of a curator write in a child process that a time and a memory limit stop.

pyshacl cannot be interrupted from Python, and a hostile body can make it run for minutes and
take gigabytes (issue 12, item 4). So the context store is read here (``prepare_change``: cheap,
its size follows the write's, which ``writes/limits.py`` caps), and pyshacl runs in a child
process forked from a server process that has the validator imported already (forkserver: no
store handle is ever forked, a child starts in milliseconds). The child caps its own heap with
the query workers' ``limit_memory`` and is killed at the deadline; either way the write is
refused with a 503 and nothing is stored.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from gcm_kg.errors import StoreError, ValidationMemoryLimit, ValidationTimeout
from gcm_kg.store import Store
from gcm_kg.validate import Report, from_pyshacl, prepare_change

log = logging.getLogger("gcm_kg.validate")
_context: Any = None


def _ctx() -> Any:
    """The forkserver context, its server preloaded with pyshacl and the shapes' reader."""
    global _context
    if _context is None:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["gcm_kg.validate.preload", "gcm_kg.sparql.worker"])
        _context = ctx
    return _context


def validate_change(
    added: Sequence[ox.Triple],
    gone: Sequence[ox.Triple],
    context: Store,
    shapes: Path,
    *,
    timeout: float,
    memory_mb: int,
) -> Report:
    """``gcm_kg.validate.validate_change`` with pyshacl in a child process under the limits."""
    job = prepare_change(added, gone, context)
    nquads = job.data.dump(format=ox.RdfFormat.N_QUADS) or b""
    ctx = _ctx()
    parent, child = ctx.Pipe(duplex=False)
    focus = [str(n) for n in job.focus] if job.focus is not None else None
    process = ctx.Process(
        target=_child, args=(child, nquads, str(shapes), focus, memory_mb), daemon=True
    )
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise ValidationTimeout(
                f"validating the write took longer than {timeout:g} s and was stopped; nothing "
                "was stored (setting GCM_KG_WRITE_TIMEOUT): split it into smaller writes"
            )
        try:
            kind, value = parent.recv()
        except EOFError:
            kind, value = "memory", None  # the child aborted: its heap limit was reached
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent.close()
    if kind == "memory":
        raise ValidationMemoryLimit(
            f"validating the write needed more than {memory_mb} MB and was stopped; nothing was "
            "stored (setting GCM_KG_WRITE_MEMORY_MB): split it into smaller writes"
        )
    if kind != "ok":
        log.error("validation of a curator write failed: %s", value)
        raise StoreError("the write could not be validated; nothing was stored")
    report = Graph()
    for triple in value:
        report.add(triple)
    return from_pyshacl(report, keep=job.keep)


def _child(conn: Any, nquads: bytes, shapes: str, focus: list[str] | None, memory_mb: int) -> None:
    """Run pyshacl on the prepared data; send back the report graph's triples."""
    try:
        from gcm_kg.sparql.worker import data_size, limit_memory
        from gcm_kg.validate import _shapes, run_pyshacl

        if memory_mb:
            limit_memory(data_size() + memory_mb * 1024 * 1024)
        data = ox.Store()
        data.extend(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        shapes_graph = _shapes(shapes, Path(shapes).stat().st_mtime)
        report = run_pyshacl(data, shapes_graph, [URIRef(f) for f in focus] if focus else None)
        conn.send(("ok", list(report)))
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # report to the parent, which answers for it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
