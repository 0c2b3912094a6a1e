"""The store contract: every backend behaves the same (memory, Oxigraph, and a real Virtuoso).

Each test gets a fresh, empty store per backend. On Virtuoso "fresh" means a RemoteStore
whose graph scope is a prefix no other test uses: the server is shared, the data is not.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from gcm_kg.errors import BadRequest, QuerySyntaxError, UnsupportedMediaType, UpdateFailed
from gcm_kg.sparql import named
from gcm_kg.store import Store
from gcm_kg.store.memory import MemoryStore
from gcm_kg.store.oxigraph import OxigraphStore
from gcm_kg.store.remote import GRAPH_PREFIX, RemoteStore

FIXTURES = Path(__file__).parents[1] / "data"
EX = "http://example.org/"
BACKENDS = ["memory", "oxigraph", pytest.param("remote", marks=pytest.mark.slow)]


@dataclass
class Fresh:
    store: Store
    prefix: str

    def g(self, name: str) -> URIRef:
        return URIRef(self.prefix + name)

    def fixture(self) -> bytes:
        text = (FIXTURES / "contract.trig").read_text(encoding="utf-8")
        return text.replace("{G}", self.prefix).encode("utf-8")

    def loaded(self) -> Fresh:
        self.store.load(self.fixture(), "application/trig")
        return self


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fresh]:
    prefix = f"{GRAPH_PREFIX}contract-{uuid.uuid4().hex[:12]}/"
    if request.param == "memory":
        store: Store = MemoryStore()
    elif request.param == "oxigraph":
        store = OxigraphStore(tmp_path / "store")
    else:
        server = request.getfixturevalue("virtuoso")
        store = RemoteStore(server.url, graph_prefix=prefix, graph_store_url=server.graph_store_url)
    yield Fresh(store, prefix)
    if isinstance(store, RemoteStore):
        store.replace_all(b"")  # drop this test's graphs from the shared server
    store.close()


def quads(data: bytes) -> set[str]:
    return {str(q) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}


def column(store: Store, sparql: str, var: str = "x", **kw: object) -> list[Node]:
    return [r[var] for r in store.query(sparql, **kw).rows if var in r]  # type: ignore[arg-type]


# -- counting and the dataset --------------------------------------------------------------


def test_count_is_the_number_of_quads(fresh: Fresh) -> None:
    assert fresh.loaded().store.count() == 8


def test_empty_store_counts_zero_and_lists_no_graphs(fresh: Fresh) -> None:
    assert fresh.store.count() == 0
    assert fresh.store.named_graphs() == []


def test_default_graph_is_the_union_of_named_graphs(fresh: Fresh) -> None:
    store = fresh.loaded().store
    preds = column(store, f"SELECT DISTINCT ?x WHERE {{ <{EX}mex> ?x ?o }}")
    assert {str(p) for p in preds} == {
        EX + "name",
        EX + "code",
        EX + "pledges",
        EX + "joined",
        EX + "partner",
    }


def test_named_graphs_lists_the_graphs_that_hold_data(fresh: Fresh) -> None:
    assert fresh.loaded().store.named_graphs() == [fresh.g("a"), fresh.g("b")]


def test_graph_pattern_sees_each_named_graph(fresh: Fresh) -> None:
    store = fresh.loaded().store
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ).rows
    assert {r["g"]: int(r["n"]) for r in rows} == {fresh.g("a"): 6, fresh.g("b"): 2}


def test_default_graphs_argument_restricts_the_default_graph(fresh: Fresh) -> None:
    store = fresh.loaded().store
    got = column(store, "SELECT ?x WHERE { ?s ?p ?x }", default_graphs=[fresh.g("b")])
    assert sorted(map(str, got)) == ["2022-05-20", EX + "iom"]


def test_named_graphs_argument_restricts_graph_patterns(fresh: Fresh) -> None:
    store = fresh.loaded().store
    got = column(
        store, "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?s ?p ?o } }", named_graphs=[fresh.g("a")]
    )
    assert got == [fresh.g("a")]


def test_a_graph_not_in_the_store_is_empty(fresh: Fresh) -> None:
    store = fresh.loaded().store
    assert column(store, "SELECT ?x WHERE { ?s ?p ?x }", default_graphs=[fresh.g("nothing")]) == []


# -- query forms and bindings ---------------------------------------------------------------


def test_bindings_bind_a_variable_to_a_literal(fresh: Fresh) -> None:
    store = fresh.loaded().store
    q = "SELECT ?x ?name WHERE { ?x <http://example.org/name> ?name }"
    rows = store.query(q, bindings={"name": Literal("México", lang="es")}).rows
    assert [(r["x"], r["name"]) for r in rows] == [
        (URIRef(EX + "mex"), Literal("México", lang="es"))
    ]


def test_bindings_bind_a_variable_to_an_iri(fresh: Fresh) -> None:
    store = fresh.loaded().store
    q = "SELECT ?s ?x WHERE { ?s <http://example.org/code> ?x }"
    assert column(store, q, bindings={"s": URIRef(EX + "mex")}) == [Literal("MEX")]
    assert column(store, q, bindings={"s": URIRef(EX + "iom")}) == []


def test_bindings_are_seen_by_the_groups_filters(fresh: Fresh) -> None:
    store = fresh.loaded().store
    q = (
        "SELECT ?x ?lang WHERE { <http://example.org/mex> <http://example.org/name> ?x "
        "FILTER(!BOUND(?lang) || LANG(?x) = ?lang) }"
    )
    assert column(store, q, bindings={"lang": Literal("es")}) == [Literal("México", lang="es")]
    assert len(column(store, q)) == 2


def test_a_hostile_binding_stays_a_value(fresh: Fresh) -> None:
    store = fresh.loaded().store
    hostile = Literal('x" } } ; DROP ALL ; SELECT * { ?s ?p "')
    q = "SELECT ?s ?x WHERE { ?s <http://example.org/code> ?x }"
    assert column(store, q, bindings={"x": hostile}) == []
    assert store.count() == 8


def test_ask_answers_true_and_false(fresh: Fresh) -> None:
    store = fresh.loaded().store
    assert store.query(f"ASK {{ <{EX}mex> <{EX}code> 'MEX' }}").boolean is True
    assert store.query(f"ASK {{ <{EX}mex> <{EX}code> 'FRA' }}").boolean is False


def test_construct_returns_triples(fresh: Fresh) -> None:
    store = fresh.loaded().store
    result = store.query(f"CONSTRUCT {{ ?s <{EX}label> ?n }} WHERE {{ ?s <{EX}name> ?n }}")
    assert result.form == "CONSTRUCT"
    assert len(result.triples) == 3
    assert (
        URIRef(EX + "mex"),
        URIRef(EX + "label"),
        Literal("Mexico", lang="en"),
    ) in result.triples


def test_literals_keep_language_datatype_and_text(fresh: Fresh) -> None:
    store = fresh.loaded().store
    objects = set(column(store, "SELECT ?x WHERE { ?s ?p ?x FILTER(isLiteral(?x)) }"))
    assert Literal('a "quoted" word\nand a second line') in objects
    assert Literal("2022-05-20", datatype=XSD.date) in objects
    assert Literal("3", datatype=XSD.integer) in objects


def test_limit_cuts_rows_and_says_so(fresh: Fresh) -> None:
    result = fresh.loaded().store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=3)
    assert len(result.rows) == 3
    assert result.truncated


def test_a_syntax_error_is_a_query_syntax_error(fresh: Fresh) -> None:
    with pytest.raises(QuerySyntaxError):
        fresh.store.query("SELECT ?s WHERE { ?s ?p ")


# -- writing -------------------------------------------------------------------------------


def test_update_inserts_and_changes_the_version(fresh: Fresh) -> None:
    store = fresh.loaded().store
    before = store.version()
    store.update(f"INSERT DATA {{ GRAPH <{fresh.g('c')}> {{ <{EX}fra> <{EX}code> 'FRA' }} }}")
    assert store.count() == 9
    assert store.version() != before


def test_an_update_with_a_syntax_error_changes_nothing(fresh: Fresh) -> None:
    store = fresh.loaded().store
    with pytest.raises(QuerySyntaxError):
        store.update(f"INSERT DATA {{ GRAPH <{fresh.g('c')}> {{ <{EX}fra> <{EX}code> }} }}")
    assert store.count() == 8


def test_a_failing_operation_fails_the_update(fresh: Fresh) -> None:
    """Embedded stores undo the whole request; Virtuoso keeps earlier operations
    (capabilities.transactions is False) but the version still moves, so no cache goes stale."""
    store = fresh.loaded().store
    before = store.version()
    with pytest.raises(UpdateFailed):
        store.update(
            f"INSERT DATA {{ GRAPH <{fresh.g('c')}> {{ <{EX}fra> <{EX}code> 'FRA' }} }} ;\n"
            f"CREATE GRAPH <{fresh.g('a')}>"
        )
    if store.capabilities.transactions:
        assert store.count() == 8
    else:
        assert store.version() != before


def _as(fresh: Fresh, fmt: ox.RdfFormat) -> bytes:
    ds = list(ox.parse(fresh.fixture(), format=ox.RdfFormat.TRIG))
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        return ox.serialize(ds, format=fmt) or b""
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ds
        if q.graph_name.value == str(fresh.g("a"))
    ]
    return ox.serialize(triples, format=fmt) or b""


@pytest.mark.parametrize(
    ("media_type", "fmt", "expected"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE, 6),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES, 6),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML, 6),
        ("application/n-quads", ox.RdfFormat.N_QUADS, 8),
        ("application/trig", ox.RdfFormat.TRIG, 8),
    ],
)
def test_load_by_media_type(
    fresh: Fresh, media_type: str, fmt: ox.RdfFormat, expected: int
) -> None:
    triples_only = expected == 6
    fresh.store.load(_as(fresh, fmt), media_type, fresh.g("a") if triples_only else None)
    assert fresh.store.count() == expected
    assert fresh.store.named_graphs() == (
        [fresh.g("a")] if triples_only else [fresh.g("a"), fresh.g("b")]
    )


def test_load_json_ld_into_a_graph(fresh: Fresh) -> None:
    doc = b'{"@id": "http://example.org/fra", "http://example.org/code": "FRA"}'
    fresh.store.load(doc, "application/ld+json", fresh.g("j"))
    assert column(fresh.store, f"SELECT ?x WHERE {{ <{EX}fra> <{EX}code> ?x }}") == [Literal("FRA")]


def test_load_of_triples_needs_a_target_graph(fresh: Fresh) -> None:
    with pytest.raises(BadRequest):
        fresh.store.load(b"<http://example.org/a> <http://example.org/b> 1 .", "text/turtle")
    assert fresh.store.count() == 0


def test_malformed_data_leaves_the_store_unchanged(fresh: Fresh) -> None:
    store = fresh.loaded().store
    bad = b"<http://example.org/a> <http://example.org/b> 1 .\n<http://example.org/a> <b> ."
    with pytest.raises(BadRequest):
        store.load(bad, "text/turtle", fresh.g("c"))
    assert store.count() == 8


def test_term_rows_are_the_rows_in_pyoxigraph_terms(fresh: Fresh) -> None:
    store = fresh.loaded().store
    rows = store.term_rows("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert all(isinstance(t, ox.NamedNode | ox.Literal) for r in rows for t in r.values())
    found = {ox.Triple(r["s"], r["p"], r["o"]) for r in rows}  # type: ignore[arg-type]
    assert found == {q.triple for q in ox.parse(fresh.fixture(), format=ox.RdfFormat.TRIG)}
    [row] = store.term_rows(f"SELECT ?x ?unbound WHERE {{ <{EX}mex> <{EX}joined> ?x }}")
    assert row == {"x": ox.Literal("2022-05-20", datatype=ox.NamedNode(str(XSD.date)))}


def test_add_quads_adds_the_terms_given_in_one_step(fresh: Fresh) -> None:
    g = ox.NamedNode(str(fresh.g("q")))
    part = ox.BlankNode()
    given = [
        ox.Quad(
            ox.NamedNode(EX + "a"),
            ox.NamedNode(EX + "note"),
            ox.Literal("Nota", language="pt-br"),
            g,
        ),
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "part"), part, g),
        ox.Quad(
            part,
            ox.NamedNode(EX + "on"),
            ox.Literal("2022-05-20", datatype=ox.NamedNode(str(XSD.date))),
            g,
        ),
    ]
    before = fresh.store.version()
    fresh.store.add_quads(given)
    assert fresh.store.version() != before
    assert fresh.store.named_graphs() == [fresh.g("q")]
    [row] = fresh.store.query(
        f"SELECT ?n ?d WHERE {{ GRAPH <{g.value}> {{ <{EX}a> <{EX}note> ?n ; <{EX}part> ?b . "
        f"?b <{EX}on> ?d }} }}"
    ).rows
    assert (row["n"], row["d"]) == (
        Literal("Nota", lang="pt-br"),
        Literal("2022-05-20", datatype=XSD.date),
    )


def test_an_unknown_media_type_is_refused(fresh: Fresh) -> None:
    with pytest.raises(UnsupportedMediaType):
        fresh.store.load(b"a,b,c", "text/csv", fresh.g("c"))


def test_dump_and_replace_all_round_trip(fresh: Fresh) -> None:
    store = fresh.loaded().store
    dumped = store.dump()
    assert len(quads(dumped)) == 8
    store.update(f"INSERT DATA {{ GRAPH <{fresh.g('c')}> {{ <{EX}fra> <{EX}code> 'FRA' }} }}")
    store.replace_all(dumped)
    assert quads(store.dump()) == quads(dumped)
    assert fresh.g("c") not in store.named_graphs()


def test_replace_all_with_bad_data_keeps_the_old_content(fresh: Fresh) -> None:
    store = fresh.loaded().store
    with pytest.raises(BadRequest):
        store.replace_all(b"<http://example.org/a> <http://example.org/b> .\n")
    assert store.count() == 8


# -- the real graph: every named query answers the same on every backend --------------------


def _value(term: Node) -> object:
    """SPARQL value equality for numbers (Virtuoso returns xsd:decimal "6" as integer 6)."""
    numeric = {XSD.integer, XSD.decimal, XSD.int, XSD.long, XSD.double, XSD.float}
    if isinstance(term, Literal) and term.datatype in numeric:
        return ("number", Decimal(str(term.toPython())))
    return term


def _rows(store: Store, q: named.NamedQuery) -> Counter[frozenset[tuple[str, object]]]:
    bindings = q.bindings({p.name: p.example for p in q.params if not p.optional})
    rows = store.query(q.sparql, bindings=bindings).rows
    return Counter(frozenset((k, _value(v)) for k, v in r.items()) for r in rows)


QUERIES = Path(__file__).parents[2] / "queries"
QUERY_NAMES = sorted(named.catalogue(QUERIES))


def test_there_are_at_least_ten_named_queries() -> None:
    assert len(QUERY_NAMES) >= 10


@pytest.mark.parametrize("name", QUERY_NAMES)
@pytest.mark.parametrize(
    "backend", ["oxigraph_store", pytest.param("remote_store", marks=pytest.mark.slow)]
)
def test_named_query_gives_the_same_rows_as_rdflib(
    request: pytest.FixtureRequest, memory_store: Store, backend: str, name: str
) -> None:
    q = named.get(QUERIES, name)
    other: Store = request.getfixturevalue(backend)
    assert _rows(other, q) == _rows(memory_store, q)


def test_most_named_queries_have_rows_to_compare(memory_store: Store) -> None:
    answered = [n for n in QUERY_NAMES if _rows(memory_store, named.get(QUERIES, n))]
    assert len(answered) >= 10, answered
