"""Maintained statistics: after any sequence of writes, each kept table is exactly what its named
query answers over the whole store, and it is there for the new version as soon as the write
returns (kept in the write's own step, not recomputed later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from gcm_kg.config import Settings
from gcm_kg.sparql import maintained, named
from gcm_kg.store.oxigraph import OxigraphStore
from gcm_kg.writes import submissions
from tests.helpers import turtle_triples

GCM = "https://w3id.org/gcm-kg/ontology#"
ID = "https://w3id.org/gcm-kg/id/"
PREFIXES = (
    f"@prefix gcm: <{GCM}> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
)
ACTORS = ["actor/mex", "actor/iom", "actor/test-new"]
TYPES = ["MemberState", "UNEntity", "Stakeholder"]


@dataclass
class Conforms:
    conforms: bool = True
    texts: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return self.texts

    def to_json(self) -> dict[str, object]:
        return {"conforms": True}


def full_answers(store: OxigraphStore, stats: maintained.Statistics) -> dict[str, maintained.Table]:
    return {n: maintained._rows(store.native, p.query.sparql) for n, p in stats.plans.items()}


def kept_now(store: OxigraphStore, stats: maintained.Statistics) -> dict[str, maintained.Table]:
    """The kept tables of the current version, without waiting for any recompute."""
    snap = stats.snapshot(store.version(), wait=0.0)
    assert snap is not None, "the write returned without the tables of its version"
    return dict(snap.tables)


@pytest.fixture(scope="module")
def queries_dir() -> Path:
    return Settings().queries_dir


class Built:
    """The built graph's N-Quads (a short repr: hypothesis prints its arguments)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"Built({len(self.data)} bytes)"


@pytest.fixture(scope="module")
def built_graph(nquads: bytes) -> Built:
    return Built(nquads)


def fresh(base: Built, queries_dir: Path) -> tuple[OxigraphStore, maintained.Statistics]:
    store = OxigraphStore()
    store.replace_all(base.data)
    stats = maintained.attach(store, queries_dir)
    assert stats is not None
    assert stats.snapshot(store.version(), wait=60.0) is not None
    return store, stats


def pledge_ttl(i: int, objectives: list[int], actors: list[str]) -> str:
    lines = [f'<{ID}pledge/prop-{i}> a gcm:Pledge ; rdfs:label "Property pledge {i}"@en']
    lines += [f"  ; gcm:supportsObjective <{ID}objective/{o}>" for o in objectives]
    lines += [f"  ; gcm:pledgedBy <{ID}{a}>" for a in actors]
    return "\n".join(lines) + " .\n"


pledge = st.tuples(
    st.integers(0, 6),  # a few IRIs: the same pledge often lands in two submissions
    st.lists(st.integers(1, 23), max_size=3, unique=True),
    st.lists(st.sampled_from(ACTORS), max_size=2, unique=True),
)
operation = st.one_of(
    st.tuples(st.just("submit"), st.lists(pledge, min_size=1, max_size=3)),
    st.tuples(st.just("retract"), st.integers(0, 10)),
    st.tuples(st.just("type"), st.sampled_from(TYPES)),  # types the new actor: reaches its pledges
    st.tuples(st.just("structural"), st.integers(1, 4)),  # a new objective covered by round table n
)


def apply(store: OxigraphStore, op: tuple, live: list[str], audit_log: Path) -> None:  # type: ignore[type-arg]
    kind, arg = op
    if kind == "retract":
        if live:
            ident = live.pop(arg % len(live))
            submissions.retract(store, ident, curator="ana", audit_log=audit_log)
        return
    if kind == "submit":
        ttl = "".join(pledge_ttl(i, objs, actors) for i, objs, actors in arg)
    elif kind == "type":
        ttl = f'<{ID}actor/test-new> a gcm:{arg} ; rdfs:label "A new actor"@en .\n'
    else:
        ttl = (
            f"<{ID}objective/24> a gcm:Objective ; gcm:objectiveNumber 24 ;\n"
            f'  skos:prefLabel "Test"@en ; gcm:coveredByRoundTable <{ID}round-table/{arg}> .\n'
            f"<{ID}round-table/{arg}> gcm:coversObjective <{ID}objective/24> .\n"
        )
    data = turtle_triples(PREFIXES + ttl)
    sub = submissions.submit(
        store, data, curator="ana", validator=lambda g, s: Conforms(), audit_log=audit_log
    )
    live.append(sub.ident)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operation, min_size=1, max_size=8))
def test_kept_tables_equal_the_full_aggregates_after_any_writes(
    built_graph: Built,
    queries_dir: Path,
    tmp_path: Path,
    ops: list[tuple],  # type: ignore[type-arg]
) -> None:
    store, stats = fresh(built_graph, queries_dir)
    live: list[str] = []
    for op in ops:
        apply(store, op, live, tmp_path / "audit.log")
        assert kept_now(store, stats) == full_answers(store, stats), op


def test_every_counting_query_is_maintained_and_adjusted_by_pledge(queries_dir: Path) -> None:
    """Drift guard: a query using a predicate the change rules do not know would fall back to
    SPARQL for good; the pledge counts must also be adjustable, not only recomputed."""
    catalogue = named.catalogue(queries_dir)
    for name in maintained.MAINTAINED:
        assert maintained.unknown_terms(catalogue[name]) == set(), name
    for name in maintained.MAINTAINED:
        if name.startswith("cq06-"):
            plan = maintained.plan_of(catalogue[name])
            assert plan.contribution is not None and "pledges" in plan.counts, name


def test_a_query_with_an_unknown_predicate_is_not_maintained(tmp_path: Path) -> None:
    (tmp_path / "cq06-pledges-per-objective.rq").write_text(
        "#+ title: t\n#+ description: d\nPREFIX gcm: <https://w3id.org/gcm-kg/ontology#>\n"
        "SELECT ?o (COUNT(DISTINCT ?pledge) AS ?pledges) WHERE {\n"
        "  ?o a gcm:Objective . OPTIONAL { ?pledge gcm:fundedBy ?o } } GROUP BY ?o\n"
    )
    stats = maintained.Statistics(OxigraphStore(), tmp_path)
    assert stats.plans == {}


def test_a_pledge_submission_adjusts_counts_without_recomputing(
    built_graph: Built, queries_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, stats = fresh(built_graph, queries_dir)

    def refuse(*args: object) -> None:
        raise AssertionError("recomputed")

    monkeypatch.setattr(maintained, "compute", refuse)
    apply(store, ("submit", [(1, [20], ["actor/mex"])]), [], tmp_path / "audit.log")
    monkeypatch.undo()
    assert kept_now(store, stats) == full_answers(store, stats)


def test_a_write_the_statistics_were_not_told_of_is_recomputed_before_use(
    built_graph: Built, queries_dir: Path
) -> None:
    store, stats = fresh(built_graph, queries_dir)
    store.load(
        (PREFIXES + pledge_ttl(9, [3], ["actor/iom"])).encode(),
        "text/turtle",
        graph=ox_graph("bulk"),
    )
    snap = stats.snapshot(store.version(), wait=60.0)  # a reader waits for the recompute
    assert snap is not None and dict(snap.tables) == full_answers(store, stats)


def ox_graph(name: str) -> URIRef:
    return URIRef(ID + "graph/" + name)


def test_graph_store_writes_keep_the_tables_exact(
    built_graph: Built, queries_dir: Path, tmp_path: Path
) -> None:
    from gcm_kg.writes import graphs

    store, stats = fresh(built_graph, queries_dir)
    g = URIRef("https://example.org/curated/test")
    triples = [
        q.triple
        for q in ox.parse(
            (PREFIXES + pledge_ttl(3, [1, 2], ["actor/mex"])).encode(), format=ox.RdfFormat.TURTLE
        )
    ]
    for method, body in (("PUT", triples), ("POST", triples[:1]), ("DELETE", [])):
        graphs.write(
            store,
            method,
            g,
            body,
            curator="ana",
            check=lambda a, b, s: Conforms(),
            audit_log=tmp_path / "audit.log",
        )
        assert kept_now(store, stats) == full_answers(store, stats), method


def test_a_sparql_update_keeps_the_tables_exact(
    built_graph: Built, queries_dir: Path, tmp_path: Path
) -> None:
    from gcm_kg.writes import update

    store, stats = fresh(built_graph, queries_dir)
    g = "https://example.org/curated/update-test"
    pledge = f"<{ID}pledge/update-test>"
    for text in (
        f"INSERT DATA {{ GRAPH <{g}> {{ {pledge} a <{GCM}Pledge> ; "
        f"<{GCM}supportsObjective> <{ID}objective/5> , <{ID}objective/6> }} }}",
        f"DELETE DATA {{ GRAPH <{g}> {{ {pledge} <{GCM}supportsObjective> <{ID}objective/5> }} }}",
    ):
        update.run(
            store,
            text,
            curator="ana",
            check=lambda a, b, s: Conforms(),
            audit_log=tmp_path / "audit.log",
            timeout=30.0,
        )
        assert kept_now(store, stats) == full_answers(store, stats), text
