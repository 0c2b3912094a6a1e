"""The query guard: what never reaches a backend, judged on the parsed query."""

from __future__ import annotations

import pytest

from gcm_kg.config import Settings
from gcm_kg.errors import QueryRejected, QuerySyntaxError, ReadOnly
from gcm_kg.sparql.escapes import expand
from gcm_kg.sparql.guard import Guard, bracket_count, inspect, nesting_depth
from gcm_kg.store import Store

HELD = "https://w3id.org/gcm-kg/id/graph/ontology"


DEFAULTS = Settings()


def guard(**kw: int) -> Guard:
    limits = {"max_nesting": DEFAULTS.max_nesting, "max_brackets": DEFAULTS.max_brackets}
    return Guard(**(limits | kw))


def check(text: str, g: Guard | None = None) -> None:
    (g or guard()).check(text, lambda: [HELD])


SERVICE_FORMS = {
    "plain": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "variable": "SELECT * WHERE { ?x ?y ?z SERVICE ?x { ?s ?p ?o } }",
    "lower case": "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "escaped": r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "long escape": r"SELECT * WHERE { \U00000053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "in FILTER EXISTS": (
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } } }"
    ),
    "in FILTER NOT EXISTS": (
        "ASK { FILTER NOT EXISTS { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } } }"
    ),
    "in BIND(EXISTS)": (
        "SELECT * WHERE { BIND(EXISTS { SERVICE <http://127.0.0.1:9/> {?a ?b ?c} } AS ?x) }"
    ),
    "in a subquery": (
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }"
    ),
    "in OPTIONAL": "SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "in a CONSTRUCT": (
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    ),
    "in a DESCRIBE": "DESCRIBE ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "after a comment": "SELECT * WHERE { # hello\n SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("text", SERVICE_FORMS.values(), ids=SERVICE_FORMS.keys())
def test_service_is_refused_in_every_form(text: str) -> None:
    with pytest.raises(QueryRejected, match="SERVICE"):
        check(text)


def test_keyword_in_a_string_is_not_a_service_clause() -> None:
    check('SELECT * WHERE { ?s ?p "SERVICE from LOAD" }')


def test_keyword_in_a_comment_is_not_a_service_clause() -> None:
    check("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>")


def test_from_a_held_graph_is_allowed() -> None:
    check(f"SELECT * FROM <{HELD}> WHERE {{ ?s ?p ?o }}")


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_a_graph_not_held_is_refused(clause: str) -> None:
    with pytest.raises(QueryRejected, match="never fetched"):
        check(f"SELECT * {clause} <http://127.0.0.1:9/g> WHERE {{ ?s ?p ?o }}")


def test_escaped_from_is_seen() -> None:
    with pytest.raises(QueryRejected, match="never fetched"):
        check(r"SELECT * \u0046ROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }")


def test_load_is_refused_as_a_write() -> None:
    with pytest.raises(ReadOnly, match="LOAD"):
        check("LOAD <http://127.0.0.1:9/data.ttl>")


def test_syntax_error_reports_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError, match="line 2, column"):
        check("SELECT * FROM <x:y>\nWHERE { ?s ?p }")


def test_nesting_over_the_limit_is_refused_before_parsing() -> None:
    deep = "SELECT * WHERE " + "{" * 40 + " ?s ?p ?o " + "}" * 40
    with pytest.raises(QueryRejected, match=f"40 levels deep; at most {DEFAULTS.max_nesting}"):
        check(deep)


@pytest.mark.parametrize("opener,closer", [("{", "}"), ("(", ")"), ("[ <p:q> ", " ]")])
def test_nesting_counts_every_bracket_kind(opener: str, closer: str) -> None:
    text = "SELECT * WHERE { ?s ?p " + opener * 33 + "1" + closer * 33 + " }"
    with pytest.raises(QueryRejected, match="levels deep"):
        check(text)


def test_escaped_brackets_count() -> None:
    text = "ASK { FILTER(" + r"\u0028" * 40 + "1" + ")" * 40 + ") }"
    with pytest.raises(QueryRejected, match="levels deep"):
        check(text)


def test_closing_brackets_in_a_string_do_not_hide_depth() -> None:
    hidden = "".join("( ')' " for _ in range(40))
    with pytest.raises(QueryRejected, match="levels deep"):
        check("ASK { FILTER(" + hidden + "1" + ")" * 40 + ") }")


def test_bracket_total_bounds_what_a_lexer_trick_could_hide() -> None:
    # quotes inside an IRI could fool a lexer into skipping brackets; the total cannot be fooled
    text = "ASK { <http://x/'> ?p (" + "(" * 40 + "1" + ")" * 41 + " <http://y/'> }"
    with pytest.raises(QueryRejected, match="brackets"):
        check(text, guard(max_nesting=1000, max_brackets=30))


def test_crash_depth_is_refused() -> None:
    """pyoxigraph's parser segfaults at ~2,200 nested braces; the guard stops it far earlier."""
    with pytest.raises(QueryRejected):
        check("SELECT * WHERE " + "{" * 3000 + "}" * 3000)


def test_many_sibling_groups_are_fine() -> None:
    values = " ".join(f"({i})" for i in range(300))
    check(f"SELECT ?n WHERE {{ VALUES (?n) {{ {values} }} }}")


def test_nesting_at_the_limit_parses_in_rdflib() -> None:
    """The default limit sits below rdflib's recursion failure for every bracket kind."""
    limit = DEFAULTS.max_nesting
    for opener, closer in (("{", "}"), ("(", ")")):
        body = opener * (limit - 2) + "1" + closer * (limit - 2)
        text = f"ASK {{ FILTER({body}) }}" if opener == "(" else f"ASK {{ {body} }}"
        text = text.replace("{1}", "{}") if opener == "{" else text
        assert nesting_depth(text) <= limit
        inspect(text.replace("ASK", "ASK FROM <http://x/>"))


def test_verdicts_are_cached() -> None:
    g = guard()
    text = SERVICE_FORMS["plain"]
    for _ in range(2):
        with pytest.raises(QueryRejected):
            check(text, g)
    assert len(g._cache) == 1


def test_from_is_rechecked_against_the_current_graphs() -> None:
    g = guard()
    text = "SELECT * FROM <http://ex.org/new> WHERE { ?s ?p ?o }"
    with pytest.raises(QueryRejected):
        g.check(text, lambda: [])
    g.check(text, lambda: ["http://ex.org/new"])


def test_expand_expands_codepoints() -> None:
    assert expand(r"\u0053ERVICE \U0001F600") == "SERVICE \U0001f600"


def test_expand_refuses_a_code_point_beyond_unicode() -> None:
    with pytest.raises(QuerySyntaxError, match="not a Unicode character"):
        expand(r"\UFFFFFFFF")


def test_nesting_depth_skips_strings_iris_and_comments() -> None:
    assert nesting_depth('ASK { ?s ?p "{{{(((" . ?s ?p """((\n(""" }') == 1
    assert nesting_depth("ASK { <http://ex.org/a(b)> ?p ?o } # ((((") == 1
    assert nesting_depth("ASK { FILTER((1)) }") == 3
    assert bracket_count("ASK { FILTER((1)) }") == 3


def test_guarded_queries_run_on_every_store(store: Store) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(((?o = ?o))) }"
    check(text)
    assert int(store.query(text).rows[0]["n"]) > 0


def test_a_carriage_return_ends_a_comment_as_the_engine_reads_it() -> None:
    # found by tests/security/test_parse_differential.py: rdflib ran the comment to the line
    # feed, so the guard approved a SERVICE that Oxigraph (and the SPARQL grammar) read as live
    text = "SELECT * WHERE { #\r SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } #\n }"
    with pytest.raises(QueryRejected, match="SERVICE"):
        inspect(text)
