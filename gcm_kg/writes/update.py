"""SPARQL 1.1 Update for curators: guarded, staged, validated, then applied in one transaction.

1. The update is parsed (rdflib) and its algebra inspected: ``LOAD`` and ``SERVICE`` are refused
   whatever the text looks like (they make the server fetch from the network).
2. Under the write lock it runs on a copy of the store in a child process with a deadline
   (``stage.py``), which yields the new state of every graph it changed.
3. Those graphs must be curator graphs the curator may write (``policy.py``); the change is
   validated in the context of the store (what the union gains and loses).
4. The changed graphs are rewritten with their new state, with their PROV records, in one
   SPARQL update on the store, flushed before the answer. A rejected update changes nothing.

The default graph of an update is the store's own default graph, which is empty (every fact
lives in a named graph): name graphs with ``GRAPH``, ``WITH`` or ``USING``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pyparsing import ParseException
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from gcm_kg import trust
from gcm_kg.config import Settings
from gcm_kg.errors import BadRequest, QueryRejected, QuerySyntaxError
from gcm_kg.rdf import rdflib_threads  # noqa: F401  (one lock around rdflib's SPARQL parser)
from gcm_kg.rdf.rdflib_threads import PARSE_LOCK
from gcm_kg.sparql import maintained
from gcm_kg.sparql.escapes import expand
from gcm_kg.sparql.guard import nesting_depth
from gcm_kg.store import Store
from gcm_kg.writes import audit, limits, policy, records, stage
from gcm_kg.writes.auth import Forbidden
from gcm_kg.writes.commit import ChangeValidator, Rejected, WriteReport, unchanged
from gcm_kg.writes.content import check_terms, quad_data

SUBMISSIONS = records.SUBMISSIONS_GRAPH
_REFUSED = {
    "Load": "LOAD is refused: the server does not fetch data from the network; "
    "send the data itself (INSERT DATA, or PUT /graphs)",
    "ServiceGraphPattern": "SERVICE is refused: the server does not query other endpoints",
}


@dataclass
class UpdateOutcome:
    graphs: list[URIRef] = field(default_factory=list)  # graphs the update changed
    added: int = 0  # triples the union gained
    removed: int = 0  # triples the union lost
    warnings: list[str] = field(default_factory=list)
    report: dict[str, object] | None = None


def guard(text: str, max_nesting: int = Settings.max_nesting) -> str:
    """The update to run in place of ``text``: its codepoint escapes expanded once
    (``gcm_kg.sparql.escapes``), parsed, and refused if LOAD or SERVICE is anywhere in its
    algebra. The caller runs the returned text, so the engine reads what was judged.

    Nesting is measured first, as for queries: rdflib's parser recurses past Python's limit
    from about 30 nested ``(``, and pyoxigraph's crashes the process at about 2,200 ``{``."""
    text = expand(text)
    depth = nesting_depth(text)
    if depth > max_nesting:
        raise QueryRejected(
            f"the update nests groups or expressions {depth} levels deep; at most {max_nesting} "
            "are accepted"
        )
    try:
        with PARSE_LOCK:
            algebra = translateUpdate(parseUpdate(text))
    except RecursionError:
        raise QueryRejected("the update nests too deeply for the parser") from None
    except ParseException as exc:
        raise QuerySyntaxError(f"line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except Exception as exc:  # rdflib raises bare Exception for e.g. an unknown prefix
        if type(exc) is not Exception:
            raise
        raise QuerySyntaxError(str(exc)) from None
    if not hasattr(algebra, "algebra"):  # rdflib gives a bare list for an update of comments
        raise BadRequest("the update holds no operation (only comments or white space)")
    for name in _names(algebra.algebra):
        if name in _REFUSED:
            raise QueryRejected(_REFUSED[name])
    return text


def _names(node: object) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def run(
    store: Store,
    text: str,
    *,
    curator: str,
    check: ChangeValidator,
    audit_log: Path,
    timeout: float,
    bases: Sequence[str] = (),
    max_nesting: int = Settings.max_nesting,
    max_triples: int = Settings.max_write_triples,
    max_list: int = Settings.max_list_length,
) -> UpdateOutcome:
    """Apply a curator's update; raises QuerySyntaxError, QueryRejected, Forbidden, Rejected,
    QueryTimeout or UpdateFailed, with the store unchanged."""
    with audit.outcome(audit_log, "update", curator, chars=len(text)) as entry:
        text = guard(text, max_nesting)  # the text the engine runs: escapes expanded

        def prepare() -> UpdateOutcome | tuple[stage.Staged, list[URIRef], WriteReport]:
            staged = stage.run(store.dump(), text, timeout)
            graphs = [_allowed(store, key, curator, bases) for key in sorted(staged.graphs)]
            entry["graphs"] = [str(g) for g in graphs]
            if staged.shared:
                node, other = staged.shared[0]
                raise QueryRejected(
                    f"the update changes a graph whose blank node _:{node} graph <{other}> "
                    "uses too; such graphs can only be written whole (PUT /graphs)"
                )
            if not graphs:
                return UpdateOutcome()
            added, gone = staged.added_triples(), staged.gone_triples()
            limits.check(added, max_triples, max_list)
            for g in graphs:
                check_terms(staged.triples(str(g)))
            entry.update(added=len(added), gone=len(gone))
            trust.check(added, store)
            report = check(added, gone, store)
            if not report.conforms:
                raise Rejected(report, "the update would leave the graph not conforming")
            return staged, graphs, report

        def commit(
            prepared: UpdateOutcome | tuple[stage.Staged, list[URIRef], WriteReport],
        ) -> UpdateOutcome:
            if isinstance(prepared, UpdateOutcome):
                entry["outcome"] = "no-change"
                return prepared
            staged, graphs, report = prepared
            content = {g: staged.triples(str(g)) for g in graphs}
            warnings = report.warnings()
            now = datetime.now(UTC).replace(microsecond=0)
            ops: list[str] = []
            data = {g: content[g] for g in graphs}
            data[SUBMISSIONS] = []
            for g in graphs:
                ops += [f"DROP SILENT GRAPH <{g}>", records.forget_retraction(g)]
                if content[g]:
                    ops.append(records.forget(g))
                    data[SUBMISSIONS] += records.written(
                        g, curator, now, len(content[g]), None, None, warnings
                    )
                elif str(g) in staged.existed:
                    data[SUBMISSIONS] += records.retracted(g, curator, now)
            changed = [*staged.added_triples(), *staged.gone_triples()]
            with maintained.changing(store, changed):  # the kept counts, in the same step
                store.update(" ;\n".join(op for op in [*ops, quad_data(data)] if op))
            store.flush()
            entry["warnings"] = len(warnings)
            return UpdateOutcome(
                graphs,
                len(staged.added_triples()),
                len(staged.gone_triples()),
                warnings,
                report.to_json(),
            )

        outcome = unchanged(store, prepare, commit)
    return outcome


def _allowed(store: Store, key: str, curator: str, bases: Sequence[str]) -> URIRef:
    """A graph the update changed, if the curator may write it."""
    if key == stage.DEFAULT:
        raise Forbidden(
            "the update writes the default graph, which is the union of all named graphs and "
            "cannot be written: put the triples in a graph of your own (GRAPH <IRI> { … })"
        )
    graph = URIRef(key)
    kind = policy.classify(graph, bases)
    policy.refuse_write(kind, "UPDATE")
    policy.check_owner(store, graph, curator)
    return graph
