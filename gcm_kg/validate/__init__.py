"""One ``validate()`` for the CLI, the tests and curator writes (shapes/gcm-shapes.ttl).

Two modes, one set of shapes:

* a **submission** is validated in the context of the current graph (a store): only the nodes
  the submission can affect are validated, on the context data their shapes read
  (``neighbourhood.py``), so the cost follows the submission's size, not the graph's;
* with no submission, a **whole dataset** is validated (the shipped graph).

pyshacl runs on an in-memory Oxigraph dataset (its SPARQL-based constraints then run natively),
without inference and without writing anywhere: the context store is only queried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import Graph, URIRef
from rdflib.term import Node

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError
from gcm_kg.rdf import rdflib_threads  # noqa: F401  (one lock around rdflib's SPARQL parser)
from gcm_kg.store import Store
from gcm_kg.validate.neighbourhood import (
    CONTEXT_GRAPH,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    Neighbourhood,
    focus_terms,
)
from gcm_kg.validate.parse import SUBMISSION_GRAPH, Submission, read_files
from gcm_kg.validate.report import Report, Result, from_pyshacl

__all__ = [
    "Job",
    "Report",
    "Result",
    "Submission",
    "load_shapes",
    "prepare_change",
    "read_files",
    "run_pyshacl",
    "validate",
    "validate_change",
    "validate_dataset",
]


@lru_cache(maxsize=4)
def _shapes(path: str, mtime: float) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise GcmKgError(f"cannot read the shapes {path}: {exc}") from None
    return g


def load_shapes(settings: Settings | None = None) -> Graph:
    """The shapes graph (parsed once per file version)."""
    path = (settings or Settings.from_env()).shapes_file
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise GcmKgError(f"cannot read the shapes {path}: {exc.strerror}") from None
    return _shapes(str(path), mtime)


class _DataGraph(OxigraphDataGraph):  # type: ignore[misc,valid-type]
    """pyshacl's Oxigraph data graph, always true: pyshacl writes ``datagraph or shapes`` for
    every result, and the default truth test counts every quad of the store each time."""

    def __bool__(self) -> bool:
        return True


def run_pyshacl(data: ox.Store, shapes: Graph, focus: list[URIRef] | None = None) -> Graph:
    """pyshacl on an Oxigraph dataset (default graph = union); returns its report graph.

    ``focus`` limits validation to those nodes. pyshacl applies that limit to every shape it
    evaluates, nested ones too, which is only sound because our shapes nest no shapes (no sh:node,
    sh:or, sh:and, sh:xone, sh:not, sh:qualifiedValueShape: a test keeps it so).
    """
    _conforms, report, _text = pyshacl.validate(
        _DataGraph(data),
        focus_nodes=list[str | URIRef](focus) if focus else None,
        shacl_graph=shapes,
        advanced=True,  # SPARQL-based targets
        inference="none",
        allow_warnings=True,
        inplace=True,  # the dataset is ours and pyshacl adds nothing without rules
    )
    return report  # type: ignore[no-any-return]


def validate_dataset(data: ox.Store, shapes: Graph | None = None) -> Report:
    """Validate a whole dataset (every node)."""
    return from_pyshacl(run_pyshacl(data, shapes if shapes is not None else load_shapes()))


def validate(
    submission: Submission,
    context: Store,
    shapes: Graph | None = None,
) -> Report:
    """Validate a submission in the context of a store; the store is only read.

    The report holds the results on the nodes the submission affects, exactly as pyshacl would
    report them for the union of store and submission.
    """
    return validate_change(submission.triples, (), context, shapes)


def validate_change(
    added: Sequence[ox.Triple],
    gone: Sequence[ox.Triple],
    context: Store,
    shapes: Graph | None = None,
) -> Report:
    """Validate the graph as it would be after a write: ``added`` put in, ``gone`` taken out.

    ``gone`` holds the triples that would no longer be in *any* graph (a triple that stays in
    another graph has not gone). Removing triples can break other nodes too: a node that loses
    its type, or all its triples, leaves the nodes pointing at it with a dangling or mistyped
    reference, so those nodes are validated as well. The store is only read.
    """
    shapes = shapes if shapes is not None else load_shapes()
    job = prepare_change(added, gone, context)
    return from_pyshacl(run_pyshacl(job.data, shapes, job.focus), keep=job.keep)


@dataclass
class Job:
    """What validating a change needs once the context store has been read: the data (ontology,
    context neighbourhood, added triples), the focus nodes for pyshacl, the nodes reported on."""

    data: ox.Store
    focus: list[URIRef] | None
    keep: set[Node]


def prepare_change(added: Sequence[ox.Triple], gone: Sequence[ox.Triple], context: Store) -> Job:
    """Read from the context what validating the change needs (see ``validate_change``)."""
    gone_set = set(gone)
    touched = [*added, *gone_set, *_pointing_at_vanishing(context, gone_set, added)]
    hood = Neighbourhood(context, touched, exclude=gone_set)
    affected = hood.collect()
    data = ox.Store()
    data.extend(_ontology(context))
    data.extend(
        ox.Quad(t.subject, t.predicate, t.object, CONTEXT_GRAPH)
        for t in hood.triples
        if t not in gone_set
    )
    data.extend(ox.Quad(t.subject, t.predicate, t.object, SUBMISSION_GRAPH) for t in added)
    keep = focus_terms(affected)
    # pyshacl's focus filter only takes IRIs; with blank nodes, validate all and filter after
    iris_only = all(isinstance(n, URIRef) for n in keep)
    focus = sorted(n for n in keep if isinstance(n, URIRef)) if iris_only else None
    return Job(data, focus, set(keep))


def _pointing_at_vanishing(
    context: Store, gone: set[ox.Triple], added: Sequence[ox.Triple]
) -> list[ox.Triple]:
    """Context triples pointing at a node that loses a type or every triple in the change."""
    if not gone:
        return []
    kept_alive = {t.subject for t in added}
    candidates: dict[ox.NamedNode, int] = {}
    for t in gone:
        if isinstance(t.subject, ox.NamedNode):
            candidates[t.subject] = candidates.get(t.subject, 0) + 1
    vanishing: set[ox.NamedNode] = {
        t.subject for t in gone if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode)
    }
    rest = sorted(set(candidates) - vanishing - kept_alive, key=str)
    for batch in _batches(rest):
        counts = context.term_rows(
            f"""SELECT ?s (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
            VALUES ?s {{ {" ".join(str(n) for n in batch)} }} ?s ?p ?o }} }} GROUP BY ?s"""
        )
        for row in counts:
            node = row["s"]
            if isinstance(node, ox.NamedNode) and int(row["n"].value) <= candidates.get(node, 0):
                vanishing.add(node)
    found: list[ox.Triple] = []
    for batch in _batches(sorted(vanishing, key=str)):
        rows = context.term_rows(
            f"""SELECT DISTINCT ?s ?p ?o WHERE {{
            VALUES ?o {{ {" ".join(str(n) for n in batch)} }} ?s ?p ?o }}"""
        )
        for row in rows:
            triple = ox.Triple(row["s"], row["p"], row["o"])  # type: ignore[arg-type]
            if triple not in gone:
                found.append(triple)
    return found


def _batches(nodes: list[ox.NamedNode], size: int = 500) -> list[list[ox.NamedNode]]:
    return [nodes[i : i + size] for i in range(0, len(nodes), size)]


def _ontology(context: Store) -> list[ox.Quad]:
    """The context's ontology graph and every subclass statement (cached per store version)."""
    return list(_ontology_cached(context, context.version()))


_ONTOLOGY_CACHE: dict[tuple[int, str], tuple[ox.Quad, ...]] = {}


def _ontology_cached(context: Store, version: str) -> tuple[ox.Quad, ...]:
    key = (id(context), version)
    if key not in _ONTOLOGY_CACHE:
        rows = context.term_rows(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH {ONTOLOGY_GRAPH} {{ ?s ?p ?o }} }}"
        )
        if not rows:
            raise GcmKgError(
                "the context graph has no ontology graph; build it first (gcm-kg build)"
            )
        quads = [
            ox.Quad(r["s"], r["p"], r["o"], ONTOLOGY_GRAPH)  # type: ignore[arg-type]
            for r in rows
        ]
        subclass = context.term_rows(
            "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?o }"
        )
        sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
        quads += [
            ox.Quad(r["s"], sub, r["o"], CONTEXT_GRAPH)  # type: ignore[arg-type]
            for r in subclass
        ]
        _ONTOLOGY_CACHE.clear()
        _ONTOLOGY_CACHE[key] = tuple(quads)
    return _ONTOLOGY_CACHE[key]


def load_dataset(path: Path) -> ox.Store:
    """A built dataset file (N-Quads or TriG) in a fresh in-memory store."""
    from gcm_kg.validate.parse import format_for_path

    fmt = format_for_path(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, str(fmt.oxigraph)))
    except (OSError, SyntaxError) as exc:
        raise GcmKgError(f"cannot load {path}: {exc}") from None
    return store
