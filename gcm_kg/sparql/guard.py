"""The one gate every query passes before any backend sees it.

Why each rule exists (measured on rdflib 7.6 and pyoxigraph 0.5.13):

- Both engines execute ``SERVICE <http://…>`` by making outbound HTTP requests (server-side
  request forgery), rdflib also when written ``\\u0053ERVICE`` or hidden in ``FILTER EXISTS``; and
  rdflib fetches ``FROM <http://…>`` graphs it does not hold. So SERVICE is refused and FROM may
  only name graphs the store holds, judged on the *parsed* query (rdflib's algebra), never by
  searching the text for a keyword.
- The two parsers read codepoint escapes differently (``gcm_kg.sparql.escapes``), which once let a
  SERVICE clause hidden from rdflib run on Oxigraph. So the guard first expands the escapes
  once, as the specification says, judges that text, and ``check`` returns it: the caller gives
  the engine exactly the text approved, in which no parser finds an escape any more.
- pyoxigraph's parser segfaults the process at about 2,200 nested ``{`` and takes minutes on a
  few hundred nested ``[``; rdflib raises RecursionError from about 30 nested ``(``. Nesting is
  therefore measured before any parser runs, on the expanded text.

Parsing with rdflib costs 5-20 ms, more than most queries take on Oxigraph. A SPARQL keyword
cannot appear in a query unless its letters do (after escapes are expanded and case is folded
the way the parsers fold it), so the parse is skipped when none of SERVICE, FROM or LOAD occur
anywhere in the text; otherwise the algebra decides. Verdicts are cached per query text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from gcm_kg.errors import GcmKgError, QueryRejected, QuerySyntaxError, ReadOnly
from gcm_kg.rdf import rdflib_threads  # noqa: F401  (one lock around rdflib's SPARQL parser)
from gcm_kg.sparql.escapes import expand

_WORDS = ("SERVICE", "FROM", "LOAD")
_OPEN, _CLOSE = "{([", "})]"
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def bracket_count(text: str) -> int:
    """Every ``{ ( [`` in the text: an upper bound on nesting that no lexer confusion can hide."""
    return sum(text.count(c) for c in _OPEN)


def nesting_depth(text: str) -> int:
    """How deep ``{ ( [`` nest outside strings, IRIs and comments."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif c in _CLOSE:
            depth = max(depth - 1, 0)
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "'\"":
            i = _string_end(text, i)
            continue
        elif c == "<":
            m = _IRIREF.match(text, i)
            if m:
                i = m.end()
                continue
        i += 1
    return deepest


def _string_end(text: str, i: int) -> int:
    """Index just after the string literal starting at ``i`` (long or short form)."""
    quote = text[i]
    long = text.startswith(quote * 3, i)
    j = i + (3 if long else 1)
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if long and text.startswith(quote * 3, j):
            return j + 3
        if not long and (c == quote or c in "\r\n"):
            return j + 1
        j += 1
    return n


@dataclass(frozen=True)
class Verdict:
    """What the parse found; FROM graphs are checked per request (the store's graphs change)."""

    #: the text judged: the query with its codepoint escapes expanded (what the engine runs)
    text: str = ""
    from_graphs: tuple[str, ...] = ()
    error: GcmKgError | None = None


class Guard:
    """Refuses what a public read endpoint must never run; see the module docstring."""

    def __init__(self, *, max_nesting: int, max_brackets: int, cache_size: int = 2048) -> None:
        self.max_nesting = max_nesting
        self.max_brackets = max_brackets
        self._cache: OrderedDict[str, Verdict] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def check(self, text: str, graphs: Callable[[], Iterable[str]]) -> str:
        """The text to run in place of ``text``, or a 400-class error if it is not safe.

        The engine must be given the returned text (``text`` with its escapes expanded), never
        ``text`` itself. ``graphs`` lists the store's named graphs; it is called only when the
        query has FROM.
        """
        verdict = self._verdict(text)
        if verdict.error is not None:
            raise verdict.error
        if verdict.from_graphs:
            known = set(graphs())
            for g in verdict.from_graphs:
                if g not in known:
                    raise QueryRejected(
                        f"FROM <{g}> names a graph this endpoint does not hold; graphs are never "
                        "fetched from the web (the service description lists the graphs held)"
                    )
        return verdict.text

    def _verdict(self, text: str) -> Verdict:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        verdict = self._judge(text)
        with self._lock:
            self._cache[text] = verdict
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return verdict

    def _judge(self, text: str) -> Verdict:
        try:
            expanded = expand(text)
            self._check_nesting(expanded)
        except (QueryRejected, QuerySyntaxError) as exc:
            return Verdict(error=exc)
        if not any(w in expanded.upper() for w in _WORDS):
            return Verdict(expanded)
        try:
            return Verdict(expanded, from_graphs=inspect(expanded))
        except (QueryRejected, QuerySyntaxError, ReadOnly) as exc:
            return Verdict(error=exc)

    def _check_nesting(self, expanded: str) -> None:
        total = bracket_count(expanded)
        if total > self.max_brackets:
            raise QueryRejected(
                f"the query holds {total} brackets ({{ ( [); at most {self.max_brackets} "
                "are accepted"
            )
        depth = nesting_depth(expanded)
        if depth > self.max_nesting:
            raise QueryRejected(
                f"the query nests groups or expressions {depth} levels deep; at most "
                f"{self.max_nesting} are accepted"
            )


def inspect(text: str) -> tuple[str, ...]:
    """Parse with rdflib; refuse SERVICE anywhere in the algebra; return FROM / FROM NAMED IRIs."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from gcm_kg.rdf.rdflib_threads import PARSE_LOCK

    try:
        with PARSE_LOCK:
            algebra = translateQuery(parseQuery(_spec_lines(text))).algebra
    except RecursionError:
        raise QueryRejected("the query nests too deeply for the query parser") from None
    except ParseException as exc:
        raise explain(text, QuerySyntaxError(syntax_message(exc, text))) from None
    except ValueError as exc:  # rdflib reports some semantic errors (e.g. bad projections) so
        raise QuerySyntaxError(str(exc)) from None
    for node in _walk(algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryRejected(
                "SERVICE (federated query) is not allowed: this endpoint makes no outbound requests"
            )
    graphs = []
    # CompValue.get returns the key itself when absent: test membership instead
    clauses = algebra["datasetClause"] if "datasetClause" in algebra else None  # noqa: SIM401
    for clause in clauses or ():
        for key in ("default", "named"):
            if key in clause:
                graphs.append(str(clause[key]))
    return tuple(graphs)


def _walk(node: object) -> Iterator:  # type: ignore[type-arg]
    """Every CompValue in an rdflib algebra tree: patterns, expressions, EXISTS, subqueries."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            yield current
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)


def _spec_lines(text: str) -> str:
    """``text`` with every carriage return as a line feed, for rdflib. SPARQL ends a comment at
    either (EOL is [#xA #xD], section 19.4) and so does the engine, but rdflib's comment runs to
    the line feed: ``# …\r SERVICE <…>`` would hide from the guard a SERVICE the engine runs.
    Same length, so columns stay; the text run is never this one."""
    return text.replace("\r", "\n")


def syntax_message(exc: Exception, text: str = "") -> str:
    """rdflib's message with line and column, without its internal grammar dump, naming the
    token it stopped at and the keyword a mistyped word likely meant."""
    from gcm_kg.store import hints

    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    msg = getattr(exc, "msg", str(exc))
    if text and line is not None and col is not None:
        return hints.rdflib_message(text, line, col, msg)
    where = f"line {line}, column {col}: " if line is not None else ""
    return f"{where}{msg}"


def explain(text: str, error: GcmKgError) -> GcmKgError:
    """A query that fails to parse may be an update: say that it is refused, not malformed."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    from gcm_kg.rdf.rdflib_threads import PARSE_LOCK

    try:
        with PARSE_LOCK:
            parsed = parseUpdate(_spec_lines(text))
    except (ParseException, RecursionError, ValueError):
        return error
    requests = parsed["request"] if "request" in parsed else []  # noqa: SIM401 (CompValue.get)
    ops = {getattr(r, "name", "") for r in requests}
    what = "LOAD" if "Load" in ops else "SPARQL Update"
    return ReadOnly(
        f"{what} is not accepted here: this endpoint answers queries only; updates go to "
        "/update (POST, with a curator token that has the update right)"
    )
