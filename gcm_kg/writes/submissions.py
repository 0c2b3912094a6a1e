"""Curator writes: validate in context, store atomically in a graph of their own, record everything.

Every accepted submission lands in its own named graph ``id/submission/{id}``; its PROV-O
record (curator, time, source, comment, warnings) goes to ``id/graph/submissions`` in the
same transaction. A rejected write changes nothing. Writes are serialised by one lock, and
every attempt, accepted or not, is appended to the audit log before the caller answers.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from gcm_kg import iris, trust
from gcm_kg.errors import BadRequest, GcmKgError, NotFound
from gcm_kg.namespaces import GCM
from gcm_kg.sparql import maintained
from gcm_kg.store import Store
from gcm_kg.writes import audit, records
from gcm_kg.writes.auth import Forbidden
from gcm_kg.writes.commit import ChangeValidator, Rejected, Validator, WriteReport, unchanged
from gcm_kg.writes.content import gone_without, own_triples, quad_data, triples_of
from gcm_kg.writes.records import SUBMISSIONS_GRAPH


@dataclass
class SubmissionResult:
    ident: str
    graph: URIRef
    curator: str
    triples: int
    warnings: list[str] = field(default_factory=list)
    report: dict[str, object] | None = None


def new_id(now: datetime) -> str:
    return now.strftime("%Y%m%dt%H%M%Sz").lower() + "-" + secrets.token_hex(4)


def submit(
    store: Store,
    data: Iterable[ox.Triple],
    *,
    curator: str,
    validator: Validator,
    audit_log: Path,
    source: str | None = None,
    comment: str | None = None,
    dry_run: bool = False,
) -> SubmissionResult:
    """Validate ``data`` against the graph as it would be after the write, then store it.

    ``data`` is pyoxigraph triples, as parsed: they get blank nodes of their own, each triple
    counts once, and that one list is what the validator reads and what the store is given.
    Validation reads the store without the write lock; the lock is taken only to commit, and
    only if the store is still at the version that was validated (``unchanged``)."""
    triples = own_triples(data)  # the write, from here to the store
    if not triples:
        audit.record(
            audit_log, action="submit", curator=curator, outcome="rejected", reason="empty"
        )
        raise BadRequest("the submission holds no triples")

    def prepare() -> WriteReport:
        try:
            trust.check(triples, store)
        except trust.Untrusted as exc:
            audit.record(
                audit_log,
                action="submit",
                curator=curator,
                outcome="rejected",
                status=exc.status,
                reason=exc.detail,
            )
            raise
        report = validator(triples, store)
        if not report.conforms:
            audit.record(
                audit_log,
                action="submit",
                curator=curator,
                outcome="rejected",
                reason="validation",
                triples=len(triples),
                dry_run=dry_run,
            )
            raise Rejected(report)
        return report

    if dry_run:
        report = prepare()
        now = datetime.now(UTC).replace(microsecond=0)
        warnings = report.warnings()
        audit.record(
            audit_log,
            action="submit",
            curator=curator,
            outcome="dry-run",
            triples=len(triples),
            warnings=len(warnings),
        )
        ident = new_id(now)
        return SubmissionResult(
            ident, iris.submission(ident), curator, len(triples), warnings, report.to_json()
        )

    def commit(report: WriteReport) -> SubmissionResult:
        now = datetime.now(UTC).replace(microsecond=0)
        ident = new_id(now)
        graph = iris.submission(ident)
        warnings = report.warnings()
        label = f"Submission by {curator} at {now.isoformat()}"
        record = records.written(
            graph, curator, now, len(triples), source, comment, warnings, label=label
        )
        g, meta = ox.NamedNode(str(graph)), ox.NamedNode(str(SUBMISSIONS_GRAPH))
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        quads += [ox.Quad(t.subject, t.predicate, t.object, meta) for t in record]
        with maintained.changing(store, triples):  # the kept counts, same step
            store.add_quads(quads)  # the validated triples themselves
        store.flush()
        audit.record(
            audit_log,
            action="submit",
            curator=curator,
            outcome="accepted",
            submission=ident,
            triples=len(triples),
            warnings=len(warnings),
            source=source,
        )
        return SubmissionResult(ident, graph, curator, len(triples), warnings, report.to_json())

    return unchanged(store, prepare, commit)


def retract(
    store: Store,
    ident: str,
    *,
    curator: str,
    audit_log: Path,
    reason: str | None = None,
    check: ChangeValidator | None = None,
    admin: bool = False,
) -> WriteReport | None:
    """Remove a submission's graph; its record stays, marked retracted (by whom, when).

    Only the curator who submitted it may retract it, or one with the ``admin`` right
    (Forbidden, 403, for anyone else). With ``check``, the graph as it would be without the
    submission is validated first: a retraction that would leave other resources pointing at
    nothing is rejected (Rejected, 422) until those are retracted or corrected. Returns the
    report (None without ``check``).
    """
    try:
        graph = iris.submission(ident)
    except ValueError:
        raise NotFound(f"no submission {ident!r}") from None

    def refuse(error: GcmKgError, why: str) -> GcmKgError:
        audit.record(
            audit_log,
            action="retract",
            curator=curator,
            outcome="rejected",
            submission=ident,
            status=error.status,
            reason=why,
        )
        return error

    def prepare() -> WriteReport | None:
        rows = store.query(
            f"SELECT ?by WHERE {{ GRAPH <{SUBMISSIONS_GRAPH}> {{ <{graph}> a <{GCM.Submission}> ;"
            f" <{GCM.submittedBy}> ?by }}\n  FILTER NOT EXISTS {{ GRAPH <{SUBMISSIONS_GRAPH}> "
            f"{{ <{graph}> <{GCM.retractedAt}> ?t }} }} }}"
        ).rows
        if not rows:
            raise refuse(NotFound(f"no live submission {ident!r}"), "unknown or already retracted")
        owner = str(rows[0]["by"])
        if owner != str(iris.curator(curator)) and not admin:
            raise refuse(
                Forbidden(
                    f"submission {ident!r} was made by another curator; only its submitter or "
                    "a curator with the admin right may retract it"
                ),
                "not the submitter",
            )
        if check is None:
            return None
        report = check((), gone_without(store, graph), store)
        if not report.conforms:
            raise refuse(
                Rejected(report, "retracting the submission would break the graph"), "validation"
            )
        return report

    def commit(report: WriteReport | None) -> WriteReport | None:
        now = datetime.now(UTC).replace(microsecond=0)
        content = triples_of(store, graph)
        # the record lists the resources it takes away, for the change feed (linked.changes)
        gone = records.retracted(graph, curator, now, [t.subject for t in content], reason)
        record = quad_data({SUBMISSIONS_GRAPH: gone})
        with maintained.changing(store, content):  # the kept counts, same step
            store.update(f"DROP SILENT GRAPH <{graph}> ;\n{record}")
        store.flush()
        audit.record(
            audit_log, action="retract", curator=curator, outcome="accepted", submission=ident
        )
        return report

    return unchanged(store, prepare, commit)
