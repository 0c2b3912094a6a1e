"""One reading decides: what the guard approves is exactly what the engine runs, and the engine
never finds SERVICE or LOAD in a text the guard approved.

The exploit cases are regression tests of texts that once passed the guard (rdflib read an
escape one way, Oxigraph the other); the properties generate texts with every escape form,
comments, long strings and odd whitespace, run the approved text on Oxigraph in this process,
with SERVICE and LOAD aimed at a real endpoint on loopback, and count its connections.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcm_kg.config import Settings
from gcm_kg.errors import BadRequest, GcmKgError, QueryRejected, QuerySyntaxError
from gcm_kg.sparql.escapes import expand
from gcm_kg.sparql.guard import Guard
from gcm_kg.store import Store
from gcm_kg.writes import update
from tests.security.hostile import leaks, snapshot
from tests.security.remote_endpoint import MARKER, RemoteEndpoint
from tests.security.served import Served, production_app

DEFAULTS = Settings()
GUARD = Guard(max_nesting=DEFAULTS.max_nesting, max_brackets=DEFAULTS.max_brackets)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[RemoteEndpoint]:
    server = RemoteEndpoint()
    yield server
    server.close()


@dataclass(frozen=True)
class Exploit:
    id: str
    text: str  # {url} is the loopback endpoint
    contains: str  # what the 400's message says


EXPLOITS = [
    Exploit(  # rdflib: \u00000022 is one 8-digit escape, a quote, then a comment hides the rest
        "8-digit \\u ends the string for rdflib only",
        'SELECT ?s WHERE {{ BIND("\\u00000022 #" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} '
        'BIND("z"\n AS ?x) }}',
        "",
    ),
    Exploit(
        "4-digit \\U read by rdflib only",
        'SELECT ?s WHERE {{ BIND("\\U0022 #" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} BIND("z"\n'
        " AS ?x) }}",
        "incomplete codepoint escape",
    ),
    Exploit(
        "escape of a backslash that starts another escape",
        "SELECT ?s WHERE {{ \\u005Cu0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "another escape",
    ),
    Exploit(
        "escaped quote closes the string for the spec",
        'SELECT ?s WHERE {{ BIND("a\\u0022 AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} #" AS ?b)\n}}',
        "SERVICE",
    ),
    Exploit(
        "escaped newline ends a comment",
        "SELECT ?s WHERE {{ # note\\u000A SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SERVICE",
    ),
    Exploit(
        "code point beyond Unicode",
        'SELECT ?s WHERE {{ BIND("\\U00110000" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        "not a Unicode character",
    ),
    Exploit(
        "surrogate escape",
        'SELECT ?s WHERE {{ BIND("\\uD800" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        "not a Unicode character",
    ),
]


@pytest.fixture(scope="module", params=("oxigraph", "memory"))
def target(request: pytest.FixtureRequest, settings: Settings, memory_store: Store) -> Served:
    if request.param == "memory":
        return Served(production_app(settings, memory_store), memory_store, "memory")
    return request.getfixturevalue("production")  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", EXPLOITS, ids=lambda c: c.id)
def test_an_escape_trick_is_refused(
    target: Served, endpoint: RemoteEndpoint, case: Exploit
) -> None:
    before, connections = snapshot(target.store), endpoint.connections
    text = case.text.format(url=endpoint.url)
    path = "/sparql?query=" + quote(text)
    resp = target.app.test_client().get(path, headers={"Accept": "application/json"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, body[:300]
    assert case.contains in body
    assert MARKER not in body
    assert endpoint.connections == connections
    assert not leaks(body, path)
    assert snapshot(target.store) == before


def test_the_first_exploit_did_hide_service_from_rdflib(endpoint: RemoteEndpoint) -> None:
    """The control: Oxigraph, given the text as sent, runs the SERVICE clause."""
    text = EXPLOITS[0].text.format(url=endpoint.url)
    before = endpoint.connections
    rows = list(ox.Store().query(text))  # type: ignore[arg-type]
    assert [r["s"].value for r in rows] == [MARKER]
    assert endpoint.connections == before + 1


def test_the_guard_returns_the_text_the_engine_must_run() -> None:
    assert GUARD.check('ASK { FILTER("\\u0041" = "A") }', list) == 'ASK { FILTER("A" = "A") }'
    assert update.guard("CLEAR \\u0053ILENT GRAPH <urn:g>") == "CLEAR SILENT GRAPH <urn:g>"


# -- generated texts -------------------------------------------------------------------------

#: pieces a string or a comment may hold: every escape form, quotes, comment marks, brackets
PIECES = [
    "a",
    " ",
    "#",
    '"',
    "'",
    "\\",
    "\\\\",
    '\\"',
    "\\'",
    "\\n",
    "\\t",
    "}",
    "{",
    "SERVICE",
    "LOAD",
    "\\u0022",
    "\\u0027",
    "\\u0023",
    "\\u000A",
    "\\u000D",
    "\\u005C",
    "\\u007D",
    "\\u0053ERVICE",
    "\\u00000022",
    "\\u00000027",
    "\\U00000022",
    "\\U0022",
    "\\u22",
    "\\U0000005C",
    "\\u0000",
    "\\uD800",
    "\\U00110000",
    "\\user",
    "\n",
]
SPACES = [" ", "\t", "\n", "\r\n", "\r", "\x0c", "\u00a0", "\u2028", "  \n\t "]
QUOTES = ['"', "'", '"""', "'''"]

text_piece = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
space = st.sampled_from(SPACES)


@st.composite
def string_literal(draw: st.DrawFn) -> str:
    quote = draw(st.sampled_from(QUOTES))
    body = draw(text_piece)
    if draw(st.integers(0, 9)) == 0:
        body += "x" * draw(st.integers(100, 3000))  # a long string
    closed = draw(st.booleans()) or draw(st.booleans())
    return quote + body + (quote if closed else "")


@st.composite
def query_text(draw: st.DrawFn, url: str) -> str:
    fragments = []
    for i in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["bind", "comment", "service", "raw", "iri"]))
        if kind == "bind":
            fragments.append(f"BIND({draw(string_literal())} AS ?v{i})")
        elif kind == "comment":
            fragments.append("#" + draw(text_piece) + draw(st.sampled_from(["\n", "\r", ""])))
        elif kind == "service":
            fragments.append(f"SERVICE <{url}> {{ ?s ?p ?o }}")
        elif kind == "iri":
            fragments.append(f"?s{i} <urn:{draw(text_piece)}> ?o{i}")
        else:
            fragments.append(draw(text_piece))
    sep = draw(space)
    return f"SELECT * WHERE {{{sep}" + sep.join(fragments) + f"{sep}}}"


@st.composite
def update_text(draw: st.DrawFn, url: str) -> str:
    fragments = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "comment", "load", "raw"]))
        if kind == "insert":
            literal = draw(string_literal())
            fragments.append(f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:s> <urn:p> {literal} }} }}")
        elif kind == "comment":
            fragments.append("#" + draw(text_piece) + "\n")
        elif kind == "load":
            fragments.append(f"LOAD <{url}> INTO GRAPH <urn:x>")
        else:
            fragments.append(draw(text_piece))
    return draw(st.sampled_from([" ;", " ;\n", ";\t"])).join(fragments)


def _run_query(text: str) -> None:
    result = ox.Store().query(text)
    if not isinstance(result, ox.QueryBoolean):
        list(result)


def _run_update(text: str) -> None:
    ox.Store().update(text)


def engine_reads(text: str, word: str, run: Callable[[str], None]) -> bool | None:
    """Whether Oxigraph reads ``word`` as a keyword of ``text`` (None: it refuses the text).

    Oxigraph offers no parse tree, so its reading is observed: the text is run, then run again
    with every ``word`` misspelt; only a keyword makes the misspelt text a syntax error."""
    try:
        run(text)
    except SyntaxError:
        return None
    except (OSError, RuntimeError, ValueError):
        pass  # the engine read the text and ran it (SERVICE answered, LOAD got no RDF…)
    misspelt = re.sub(word, word[:-1] + "X", text, flags=re.IGNORECASE)
    try:
        run(misspelt)
    except SyntaxError:
        return True
    except (OSError, RuntimeError, ValueError):
        pass
    return False


def _connects(endpoint: RemoteEndpoint, text: str, run: Callable[[str], None]) -> bool:
    """Whether running ``text`` on Oxigraph opened a connection to the endpoint."""
    before = endpoint.connections
    with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError):
        run(text)
    return endpoint.connections > before


PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_generators_reach_every_verdict(endpoint: RemoteEndpoint) -> None:
    """The properties below are not vacuous: the generator yields texts the guard approves,
    texts it refuses for SERVICE and texts it cannot read, and the engine does connect."""
    seen: set[str] = set()

    @settings(max_examples=300, deadline=None, database=None)
    @given(query_text(endpoint.url))
    def collect(text: str) -> None:
        try:
            GUARD.check(text, list)
            seen.add("approved")
        except QueryRejected:
            seen.add("refused")
        except QuerySyntaxError:
            seen.add("syntax")
        with contextlib.suppress(QuerySyntaxError):
            if _connects(endpoint, expand(text), _run_query):
                seen.add("engine connects")

    collect()
    assert {"approved", "refused", "syntax", "engine connects"} <= seen


def _judge(verdict: Callable[[str], str], text: str) -> tuple[str, str | None]:
    """The guard's verdict: ("approved", the text to run), ("refused", its message) or
    ("unreadable", None) for a text the guard cannot parse or expand."""
    try:
        return "approved", verdict(text)
    except QueryRejected as exc:
        return "refused", exc.detail
    except GcmKgError:
        return "unreadable", None


def _same_reading(
    endpoint: RemoteEndpoint,
    text: str,
    verdict: Callable[[str], str],
    word: str,
    run: Callable[[str], None],
) -> None:
    outcome, value = _judge(verdict, text)
    if outcome == "approved":
        assert value is not None
        assert not engine_reads(value, word, run), value
        assert not _connects(endpoint, value, run), value
    elif outcome == "refused" and value is not None and word in value:
        assert engine_reads(expand(text), word, run) in (True, None), text


def test_a_query_is_read_the_same_by_the_guard_and_the_engine(endpoint: RemoteEndpoint) -> None:
    """Approved: the engine finds no SERVICE in the approved text and connects nowhere.
    Refused for SERVICE: the engine, if it reads the text at all, reads a SERVICE in it."""

    @PROPERTY
    @given(query_text(endpoint.url))
    def prop(text: str) -> None:
        _same_reading(endpoint, text, lambda t: GUARD.check(t, list), "SERVICE", _run_query)

    prop()


def test_an_update_is_read_the_same_by_the_guard_and_the_engine(endpoint: RemoteEndpoint) -> None:
    @PROPERTY
    @given(update_text(endpoint.url))
    def prop(text: str) -> None:
        _same_reading(endpoint, text, update.guard, "LOAD", _run_update)

    prop()


def test_an_update_of_comments_only_is_a_400_not_a_crash() -> None:
    """Found by the generator above: rdflib's algebra of an update without operations is a bare
    list, which the guard once read as a tree (a 500)."""
    with pytest.raises(BadRequest, match="no operation"):
        update.guard("# nothing\n")
