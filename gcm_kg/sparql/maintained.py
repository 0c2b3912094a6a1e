"""Maintained aggregates: the answers of the counting named queries, exact for a store version.

``/stats`` and the ``cq06-*`` queries count pledges over the whole graph: seconds at 100,000
pledges, and every write empties the result cache. So their answers are kept here, as small
tables tagged with the store version they are exact for, and brought to the next version by the
write itself, in the same step (``changing``, under the write lock):

* A pledge's contribution to ``COUNT(DISTINCT ?pledge)`` depends only on its own triples and on
  the groups (objectives, round tables, actor types). So when a write touches only pledge-side
  triples, the counts of the pledges it touches are taken before and after the write with the
  query's own SPARQL restricted to them (``VALUES ?pledge``, the OPTIONAL around the counted
  pattern made required), and the difference is added: a submission adds its pledges'
  contributions, a retraction subtracts them.
* A write that touches the groups themselves (an objective's number, a round table's coverage,
  an actor type…) recomputes every table with the ``.rq`` text, in the same step.
* Any other change of version (a bulk load, a write path that does not say what it changed, a
  restart) is noticed by the next reader, which waits for a recompute in the background and
  meanwhile answers with the SPARQL (``table`` returns None).

Which triples count as pledge-side or structural is read from the queries themselves: a query
that uses a predicate these rules do not know is never maintained (always run as SPARQL).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from gcm_kg.sparql import named, worker
from gcm_kg.store.base import write_lock

log = logging.getLogger(__name__)

GCM = "https://w3id.org/gcm-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

#: the named queries kept (those ``/stats`` draws and the ``cq06-*`` aggregates)
MAINTAINED = (
    "cq06-pledges-per-objective",
    "cq06-pledges-per-round-table",
    "cq06-pledges-per-actor-type",
    "cq06-objective-coverage",
    "cq04-sdg-targets-reached",
)
#: predicates whose subject is a pledge: a change touches that pledge's contribution only
PLEDGE_SIDE = frozenset({GCM + "supportsObjective", GCM + "pledgedBy", GCM + "objectivesComplete"})
#: predicates that define the groups: any change recomputes
STRUCTURAL = frozenset(
    {
        RDFS + "subClassOf",
        GCM + "coversObjective",
        GCM + "coveredByRoundTable",
        GCM + "roundTableNumber",
        GCM + "objectiveNumber",
        GCM + "addressesObjective",
        GCM + "discussedUnder",
        GCM + "qualifiedLink",
        GCM + "linkTarget",
        GCM + "linkProperty",
        GCM + "linkBasis",
    }
)
#: classes whose membership defines groups: typing a resource so (or not) recomputes
STRUCTURAL_CLASSES = frozenset(
    {GCM + "Objective", GCM + "RoundTable", GCM + "DeclarationParagraph"}
)
#: predicates that describe a group: a change recomputes when its subject is a group resource
DESCRIPTIVE = frozenset(
    {RDFS + "label", SKOS + "prefLabel", SKOS + "notation", GCM + "relatedSDGTarget"}
)
#: the resources DESCRIPTIVE changes matter for (exact: their defining triples are structural)
GROUP_RESOURCES = f"""
SELECT DISTINCT ?x WHERE {{
  {{ ?x a <{GCM}Objective> }} UNION {{ ?x a <{GCM}RoundTable> }}
  UNION {{ ?x <{RDFS}subClassOf> <{GCM}Actor> }}
  UNION {{ ?o a <{GCM}Objective> ; <{GCM}relatedSDGTarget> ?x }}
  UNION {{ ?l <{GCM}linkBasis> ?x }}
}}"""
#: pledges an actor's typing reaches (``?actor a ?actorType . ?pledge gcm:pledgedBy ?actor``)
NEIGHBOURS = f"SELECT DISTINCT ?p WHERE {{ VALUES ?s {{ __TERMS__ }} ?p <{GCM}pledgedBy> ?s }}"
#: a change touching more pledges than this recomputes instead (a VALUES block stays small)
MAX_INCREMENTAL = 5000
SLOT = "__PLEDGES__"

Term = Any  # a pyoxigraph term (NamedNode, BlankNode, Literal) or None for unbound


@dataclass(frozen=True)
class Table:
    """One query's answer: its variables and rows (pyoxigraph terms), in the query's order."""

    names: tuple[str, ...]
    rows: tuple[tuple[Term, ...], ...]

    def body(
        self, media_type: str, limit: int | None = None, max_bytes: int | None = None
    ) -> tuple[bytes, worker.Cut]:
        """The answer serialized as the query workers write it, under the same row and byte
        limits; what was cut."""
        cut = worker.Cut()
        body = worker.select_body(
            list(self.names), self.rows, media_type, limit=limit, max_bytes=max_bytes, cut=cut
        )
        return body, cut


@dataclass(frozen=True)
class Snapshot:
    version: str
    tables: Mapping[str, Table]
    groups: frozenset[str]  # IRIs of the group resources (GROUP_RESOURCES)


@dataclass(frozen=True)
class Plan:
    """How one named query is kept: recomputed, and (with ``contribution``) adjusted by pledge."""

    query: named.NamedQuery
    order: str  # the ORDER BY clause, to order adjusted rows exactly as the query does
    prologue: str  # its PREFIX lines
    contribution: str | None = None  # the query restricted to VALUES ?pledge (SLOT)
    counts: tuple[str, ...] = ()  # the columns counting pledges (distinct ?pledge, or an alias)
    keys: tuple[str, ...] = ()  # the GROUP BY columns


# -- reading the queries


def predicates_of(sparql: str) -> tuple[set[str], set[str]]:
    """The predicate IRIs a query's patterns use and the classes it tests with ``a``."""
    from rdflib.paths import Path as RdfPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    from gcm_kg.rdf.rdflib_threads import PARSE_LOCK

    with PARSE_LOCK:
        algebra = prepareQuery(sparql).algebra
    preds: set[str] = set()
    classes: set[str] = set()

    def path_iris(p: object) -> None:
        if isinstance(p, URIRef):
            preds.add(str(p))
        elif isinstance(p, RdfPath):
            for attr in ("args", "arg"):
                inner = getattr(p, attr, None)
                for x in inner if isinstance(inner, list) else [inner] if inner else []:
                    path_iris(x)

    stack: list[object] = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "BGP":
                for _s, p, o in node.get("triples") or []:
                    path_iris(p)
                    if str(p) == RDF_TYPE and isinstance(o, URIRef):
                        classes.add(str(o))
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return preds, classes


def unknown_terms(q: named.NamedQuery) -> set[str]:
    """Predicates and classes of ``q`` the change rules do not classify (empty: maintainable)."""
    preds, classes = predicates_of(q.sparql)
    known = PLEDGE_SIDE | STRUCTURAL | DESCRIPTIVE | {RDF_TYPE}
    return (preds - known) | (classes - STRUCTURAL_CLASSES - {GCM + "Pledge"})


_COUNT = re.compile(r"\(\s*COUNT\s*\(\s*DISTINCT\s+\?(\w+)\s*\)\s+AS\s+\?(\w+)\s*\)", re.I)
#: a variable that is the pledge itself under a condition (``BIND (?pledge AS ?partial)``)
_ALIAS = re.compile(r"BIND\s*\(\s*\?pledge\s+AS\s+\?(\w+)\s*\)", re.I)
_OPTIONAL = re.compile(r"\bOPTIONAL\s*\{", re.I)
_GROUP = re.compile(r"\bGROUP\s+BY\s+([^{}]*?)(?=\}|\bORDER\s+BY\b|\bHAVING\b|\bLIMIT\b|\Z)", re.I)
_ORDER = re.compile(r"\bORDER\s+BY\s+(.*?)(?=\bLIMIT\b|\bOFFSET\b|\Z)", re.I | re.S)


def _outer_optionals(text: str) -> list[tuple[int, int, int]]:
    """(start, body start, end) of each OPTIONAL block not inside another, braces balanced."""
    blocks: list[tuple[int, int, int]] = []
    for m in _OPTIONAL.finditer(text):
        if blocks and m.start() < blocks[-1][2]:
            continue  # nested in the block before
        depth, at = 1, m.end()
        while depth and at < len(text):
            depth += {"{": 1, "}": -1}.get(text[at], 0)
            at += 1
        if depth:
            return []
        blocks.append((m.start(), m.end(), at))
    return blocks


def plan_of(q: named.NamedQuery) -> Plan:
    text = "\n".join(line for line in q.sparql.splitlines() if not line.startswith("#"))
    prologue = "\n".join(
        line for line in text.splitlines() if re.match(r"\s*(PREFIX|BASE)\b", line, re.I)
    )
    order_m = _ORDER.search(text)
    order = order_m.group(1).strip() if order_m else ""
    pledge_vars = {"pledge", *_ALIAS.findall(text)}
    counts = tuple(name for var, name in _COUNT.findall(text) if var in pledge_vars)
    optionals = [b for b in _outer_optionals(text) if "?pledge" in text[b[1] : b[2]]]
    if not (counts and len(optionals) == 1):
        return Plan(q, order, prologue)
    start, inner, end = optionals[0]  # the counted pattern, made required, for these pledges
    group = _GROUP.search(text, end)  # the grouping of the (sub)query the pattern stands in
    if group is None:
        return Plan(q, order, prologue)
    body = text[:start] + f"VALUES ?pledge {{ {SLOT} }} {{" + text[inner:]
    body = _ORDER.sub("", body)
    keys = tuple(re.findall(r"\?(\w+)", group.group(1)))
    return Plan(q, order, prologue, body, counts, keys)


# -- evaluating


def _terms(values: Iterable[Term]) -> str:
    return " ".join(str(v) for v in values)


def _rows(store: ox.Store, sparql: str) -> Table:
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = tuple(v.value for v in result.variables)
    return Table(names, tuple(tuple(solution) for solution in result))


def ordered(table: Table, plan: Plan) -> Table:
    """``table``'s rows in the order the query's ORDER BY gives them (evaluated by Oxigraph)."""
    if not plan.order or not table.rows:
        return table
    cols = " ".join("?" + n for n in table.names)
    data = " ".join(
        "(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in table.rows
    )
    sparql = (
        f"{plan.prologue}\nSELECT {cols} WHERE {{ VALUES ({cols}) {{ {data} }} }} "
        f"ORDER BY {plan.order}"
    )
    return _rows(ox.Store(), sparql)


def compute(store: ox.Store, plans: Mapping[str, Plan], version: str) -> Snapshot:
    """Every table from its query's own text: exact for the data ``store`` holds."""
    tables = {name: _rows(store, plan.query.sparql) for name, plan in plans.items()}
    groups = frozenset(
        r[0].value for r in _rows(store, GROUP_RESOURCES).rows if isinstance(r[0], ox.NamedNode)
    )
    return Snapshot(version, tables, groups)


def affected(
    triples: Iterable[ox.Triple], groups: frozenset[str]
) -> tuple[set[Term], set[Term]] | None:
    """The resources whose pledge contributions a change can alter, and those of them it types
    (an actor's type reaches the pledges it made); None: the change alters the groups."""
    subjects: set[Term] = set()
    typed: set[Term] = set()
    for t in triples:
        p, s, o = t.predicate.value, t.subject, t.object
        if p in STRUCTURAL or (p == RDF_TYPE and getattr(o, "value", None) in STRUCTURAL_CLASSES):
            return None
        if p in DESCRIPTIVE:
            if not isinstance(s, ox.NamedNode) or s.value in groups:
                return None
            continue
        if p == RDF_TYPE or p in PLEDGE_SIDE:
            if not isinstance(s, ox.NamedNode):
                return None  # a blank node cannot be named in VALUES
            subjects.add(s)
            if p == RDF_TYPE:
                typed.add(s)
    return subjects, typed


Counts = tuple[int, ...]


def contributions(
    store: ox.Store, plan: Plan, pledges: set[Term]
) -> dict[tuple[Term, ...], Counts]:
    """Per group, how many of ``pledges`` each counting column of the query counts there (with
    its own patterns)."""
    if not pledges or plan.contribution is None or not plan.counts:
        return {}
    table = _rows(store, plan.contribution.replace(SLOT, _terms(pledges)))
    at = {n: i for i, n in enumerate(table.names)}
    out: dict[tuple[Term, ...], Counts] = {}
    for row in table.rows:
        key = tuple(row[at[k]] for k in plan.keys)
        out[key] = tuple(int(row[at[c]].value) for c in plan.counts)
    return out


def adjusted(
    table: Table,
    plan: Plan,
    before: Mapping[tuple[Term, ...], Counts],
    after: Mapping[tuple[Term, ...], Counts],
) -> Table | None:
    """``table`` with each group's counts moved by after - before; None if a group is unknown."""
    if not plan.counts:
        return table
    at = {n: i for i, n in enumerate(table.names)}
    cols = [at[c] for c in plan.counts]
    zero = (0,) * len(cols)
    delta = {
        k: tuple(a - b for a, b in zip(after.get(k, zero), before.get(k, zero), strict=True))
        for k in set(before) | set(after)
    }
    delta = {k: d for k, d in delta.items() if any(d)}
    if not delta:
        return table
    rows = []
    for row in table.rows:
        key = tuple(row[at[k]] for k in plan.keys)
        d = delta.pop(key, zero)
        for col, change in zip(cols, d, strict=True):
            if change:
                n = int(row[col].value) + change
                count = ox.Literal(str(n), datatype=ox.NamedNode(XSD_INTEGER))
                row = (*row[:col], count, *row[col + 1 :])
        rows.append(row)
    if delta:  # a count for a group the table lacks: the groups changed after all
        return None
    return ordered(Table(table.names, tuple(rows)), plan)


# -- the kept snapshot of one store


class Statistics:
    """The maintained tables of one Oxigraph store (``engine()``: its pyoxigraph Store)."""

    def __init__(self, store: Any, queries_dir: Path) -> None:
        self.store = store  # a Store whose ``engine()`` is a pyoxigraph Store
        self.plans: dict[str, Plan] = {}
        catalogue = named.catalogue(queries_dir)
        for name in MAINTAINED:
            q = catalogue.get(name)
            if q is None:
                continue
            unknown = unknown_terms(q)
            if unknown:
                log.warning("%s is not maintained: it uses %s", name, ", ".join(sorted(unknown)))
                continue
            self.plans[name] = plan_of(q)
        self._by_text = {plan.query.sparql: name for name, plan in self.plans.items()}
        self._cond = threading.Condition()
        self._snapshot: Snapshot | None = None
        self._writing = 0  # writes under way (their readers wait for them)
        self._recomputing = False

    def _engine(self) -> ox.Store:
        engine = self.store.engine()
        assert engine is not None  # attach() keeps statistics for Oxigraph stores only
        return engine

    # reading
    def name_of(self, sparql: str) -> str | None:
        """The maintained query whose text this is, if any."""
        return self._by_text.get(sparql)

    def snapshot(self, version: str, wait: float) -> Snapshot | None:
        """The snapshot exact for ``version``, waiting up to ``wait`` s for a write or recompute
        under way; None if it is not there in time (the caller runs the SPARQL instead)."""
        import time

        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                snap = self._snapshot
                if snap is not None and snap.version == version:
                    return snap
                if self.store.version() != version:
                    return None  # the store moved on: this version's answer is not kept
                if not self._writing and not self._recomputing:
                    self._start_recompute()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)

    def table(self, name: str, version: str, wait: float = 0.0) -> Table | None:
        snap = self.snapshot(version, wait)
        return None if snap is None else snap.tables.get(name)

    # recomputing
    def _start_recompute(self) -> None:
        self._recomputing = True
        threading.Thread(target=self._recompute, daemon=True, name="statistics").start()

    def _recompute(self) -> None:
        """Recompute under the write lock (no write can interleave). At normal CPU priority:
        readers wait for it (at 100,000 pledges on a busy machine, 145 s at nice 10)."""
        snap: Snapshot | None = None
        try:
            with write_lock:
                snap = compute(self._engine(), self.plans, self.store.version())
        except Exception:  # logged; readers keep answering with the SPARQL
            log.exception("recomputing the maintained statistics failed")
        with self._cond:
            self._recomputing = False
            if snap is not None:
                self._snapshot = snap
            self._cond.notify_all()

    def recompute_now(self) -> Snapshot:
        """Recompute in the calling thread, which holds the write lock (or is alone)."""
        snap = compute(self._engine(), self.plans, self.store.version())
        with self._cond:
            self._snapshot = snap
            self._cond.notify_all()
        return snap

    # writing
    @contextlib.contextmanager
    def change(self, triples: Iterable[ox.Triple]) -> Iterator[None]:
        """Around one write (caller holds the write lock): bring the tables to its version."""
        native = self._engine()
        old_version = self.store.version()
        with self._cond:
            base = (
                self._snapshot if self._snapshot and self._snapshot.version == old_version else None
            )
            self._writing += 1
        pledges = self._pledges(native, triples, base) if base is not None else None
        before = (
            {n: contributions(native, p, pledges) for n, p in self.plans.items()}
            if pledges is not None
            else None
        )
        try:
            yield
        finally:
            snap: Snapshot | None = None
            try:
                if self.store.version() == old_version:
                    snap = base  # nothing was written
                elif base is not None and pledges is not None and before is not None:
                    snap = self._adjusted(native, base, pledges, before)
                if snap is None and self.store.version() != old_version:
                    snap = compute(native, self.plans, self.store.version())
            except Exception:  # logged; the next reader recomputes in the background
                log.exception("updating the maintained statistics failed")
                snap = None
            with self._cond:
                self._writing -= 1
                if snap is not None or self.store.version() != old_version:
                    self._snapshot = snap
                self._cond.notify_all()

    def _pledges(
        self, native: ox.Store, triples: Iterable[ox.Triple], base: Snapshot
    ) -> set[Term] | None:
        """The pledges whose contributions the change can alter; None: recompute."""
        found = affected(triples, base.groups)
        if found is None:
            return None
        pledges, typed = found
        if typed:
            rows = _rows(native, NEIGHBOURS.replace("__TERMS__", _terms(typed))).rows
            pledges |= {r[0] for r in rows if isinstance(r[0], ox.NamedNode)}
        return None if len(pledges) > MAX_INCREMENTAL else pledges

    def _adjusted(
        self,
        native: ox.Store,
        base: Snapshot,
        pledges: set[Term],
        before: Mapping[str, dict[tuple[Term, ...], Counts]],
    ) -> Snapshot | None:
        tables = {}
        for name, plan in self.plans.items():
            if plan.contribution is None:  # counts no pledge: untouched by pledge-side changes
                tables[name] = base.tables[name]
                continue
            table = adjusted(
                base.tables[name], plan, before[name], contributions(native, plan, pledges)
            )
            if table is None:
                return None
            tables[name] = table
        return Snapshot(self.store.version(), tables, base.groups)


_registry: weakref.WeakKeyDictionary[Any, Statistics] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def attach(store: Any, queries_dir: Path) -> Statistics | None:
    """The statistics kept for ``store`` (made once; an Oxigraph store only), recomputed in the
    background from now on."""
    if store.engine() is None:  # kept for Oxigraph only
        return None
    with _registry_lock:
        found = _registry.get(store)
        if found is None:
            found = _registry[store] = Statistics(store, queries_dir)
    found.snapshot(store.version(), 0.0)  # starts the first computation
    return found


def of(store: Any) -> Statistics | None:
    return _registry.get(store)


@contextlib.contextmanager
def changing(store: Any, triples: Iterable[ox.Triple]) -> Iterator[None]:
    """Around a write of ``triples`` (added or removed) to ``store``, under the write lock."""
    stats = _registry.get(store)
    if stats is None:
        yield
        return
    with stats.change(list(triples)):
        yield
