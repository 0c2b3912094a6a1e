"""The SPARQL 1.1 Graph Store Protocol's operations on the store, without HTTP.

``read`` is public. ``write`` (PUT replaces a graph, POST merges into it, DELETE removes it)
follows the graph policy (``policy.py``), validates the graph as it would be after the write,
then applies the write and its PROV record in ``id/graph/submissions`` in one SPARQL update,
flushed to disk before it returns. ``DELETE`` of a submission graph is a retraction.
A new graph created by ``POST`` to the service itself is a submission (``submissions.submit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from gcm_kg import trust
from gcm_kg.errors import BadRequest, NotFound
from gcm_kg.sparql import maintained
from gcm_kg.store import Store
from gcm_kg.writes import audit, policy, records, submissions
from gcm_kg.writes.commit import ChangeValidator, Rejected, WriteReport, unchanged
from gcm_kg.writes.content import (
    check_terms,
    gone_without,
    own_triples,
    quad_data,
    triples_of,
    union_triples,
)

SUBMISSIONS = records.SUBMISSIONS_GRAPH


@dataclass
class Outcome:
    graph: URIRef
    created: bool  # the graph held nothing before the write
    triples: int  # triples in the graph after the write
    warnings: list[str] = field(default_factory=list)
    report: dict[str, object] | None = None


def read(store: Store, graph: URIRef | None) -> list[ox.Triple]:
    """A graph's triples; ``None`` is the default graph, the union of all named graphs."""
    if graph is None:
        return union_triples(store)
    found = triples_of(store, graph)
    if not found:
        raise NotFound(f"no graph <{graph}> in the store")
    return found


def write(
    store: Store,
    method: str,
    graph: URIRef | None,
    triples: Sequence[ox.Triple] = (),
    *,
    curator: str,
    check: ChangeValidator,
    audit_log: Path,
    bases: Sequence[str] = (),
    source: str | None = None,
    comment: str | None = None,
    admin: bool = False,
) -> Outcome:
    """PUT, POST or DELETE one graph; raises the policy's refusal, NotFound or Rejected."""
    kind = policy.classify(graph, bases)
    if kind is policy.Kind.SUBMISSION and method == "DELETE" and graph is not None:
        ident = str(graph).rsplit("/", 1)[1]  # retract() writes its own audit record
        report = submissions.retract(
            store, ident, curator=curator, audit_log=audit_log, check=check, admin=admin
        )
        return Outcome(graph, False, 0, report.warnings() if report else [])
    action = f"graph-{method.lower()}"
    with audit.outcome(audit_log, action, curator, graph=str(graph or "default")) as entry:
        policy.refuse_write(kind, method)
        if graph is None:  # refused above; says so to the type checker
            raise NotFound("the default graph cannot be written")
        check_terms(triples)
        new = own_triples(triples)

        #: (the graph's triples before, the triples added and removed, the count, the report)
        Prepared = tuple[list[ox.Triple], list[ox.Triple], int, WriteReport]

        def prepare() -> Prepared:
            policy.check_owner(store, graph, curator)
            old = triples_of(store, graph)
            if method == "DELETE":
                if not old:
                    raise NotFound(f"no graph <{graph}> in the store")
                added, gone, count = [], gone_without(store, graph), 0
            elif method == "PUT":
                added, gone, count = new, gone_without(store, graph, keep=new), len(new)
            else:
                added, gone, count = new, [], len(set(old) | set(new))
            entry.update(added=len(added), gone=len(gone))
            trust.check(added, store)
            report = check(added, gone, store)
            if not report.conforms:
                raise Rejected(report, f"the graph <{graph}> would not conform")
            return old, [*added, *gone], count, report

        def commit(prepared: Prepared) -> Prepared:
            old, changed, count, report = prepared
            warnings = report.warnings()
            now = datetime.now(UTC).replace(microsecond=0)
            if method == "DELETE":
                ops = [f"DROP SILENT GRAPH <{graph}>", records.forget_retraction(graph)]
                gone = records.retracted(graph, curator, now, [t.subject for t in old])
                data = quad_data({SUBMISSIONS: gone})
            else:
                ops = [f"DROP SILENT GRAPH <{graph}>"] if method == "PUT" else []
                ops += [records.forget(graph), records.forget_retraction(graph)]
                record = records.written(graph, curator, now, count, source, comment, warnings)
                data = quad_data({graph: new, SUBMISSIONS: record})
            with maintained.changing(store, changed):  # the kept counts, in the same step
                store.update(" ;\n".join(op for op in [*ops, data] if op))
            store.flush()
            entry.update(triples=count, warnings=len(warnings))
            return prepared

        old, _changed, count, report = unchanged(store, prepare, commit)
    return Outcome(graph, not old, count, report.warnings(), report.to_json())


@dataclass(frozen=True)
class Target:
    """What a Graph Store Protocol request names."""

    graph: URIRef | None  # None: the default graph, or (``service``) the store itself
    service: bool = False  # no graph named: POST creates a new graph (a submission)


#: parameters a graph request may carry besides the graph's name
EXTRA_PARAMS = ("source", "comment")


def target(method: str, args: Mapping[str, Sequence[str]], direct: str | None = None) -> Target:
    """The graph a request names: ``?graph=IRI``, ``?default``, or (direct identification) the
    request's own URL. Strict: a parameter given twice, both names, or an unknown one is 400."""
    unknown = sorted(set(args) - {"graph", "default", *EXTRA_PARAMS})
    if unknown:
        raise BadRequest(
            f"unknown parameter(s) {', '.join(unknown)}; a graph request takes graph or "
            f"default, and for writes {' and '.join(EXTRA_PARAMS)}"
        )
    for name in ("graph", "default", *EXTRA_PARAMS):
        if len(args.get(name, ())) > 1:
            raise BadRequest(f"parameter {name} given more than once")
    named, default = "graph" in args, "default" in args
    if direct is not None:
        if named or default:
            raise BadRequest("this URL names its graph itself: drop ?graph and ?default")
        return Target(policy.graph_iri(direct))
    if named and default:
        raise BadRequest("name one graph: ?graph=IRI or ?default, not both")
    if default:
        if args["default"][0]:
            raise BadRequest("?default takes no value")
        return Target(None)
    if named:
        return Target(policy.graph_iri(args["graph"][0]))
    if method == "POST":
        return Target(None, service=True)
    raise BadRequest("name the graph: ?graph=IRI, or ?default for the default graph")
