"""Syntax errors that help: the token the parser stopped at, and the keyword it likely meant.

Both parsers report where they gave up in their own words: rdflib names grammar productions
("Expected SelectQuery"), Oxigraph the next keyword it would take ("expected CONSTRUCT" after a
mistyped ``SELEC``). Neither names what the user typed. This module finds the bare word at or
just before that position, and when it is no SPARQL word but close to one (``SELEC``, ``WHER``,
``FILTR``), says which.
"""

from __future__ import annotations

import difflib
import re

#: SPARQL 1.1 keywords and built-in function names (a bare word that is none of these is a typo)
_WORDS_TEXT = """
    SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE FROM NAMED OPTIONAL FILTER UNION MINUS GRAPH
    BIND VALUES SERVICE SILENT ORDER BY GROUP HAVING LIMIT OFFSET DISTINCT REDUCED AS ASC DESC
    NOT EXISTS IN UNDEF TRUE FALSE A INSERT DELETE DATA LOAD CLEAR DROP CREATE ADD MOVE COPY
    WITH USING INTO DEFAULT ALL TO
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
    HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE
    IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
"""
WORDS = frozenset(_WORDS_TEXT.split())
#: the words a typo is matched against (functions rarely are what a user meant at top level)
_KEYWORDS_TEXT = """SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE FROM NAMED OPTIONAL FILTER
    UNION MINUS GRAPH BIND VALUES ORDER GROUP HAVING LIMIT OFFSET DISTINCT REDUCED EXISTS"""
KEYWORDS = sorted(_KEYWORDS_TEXT.split())
#: rdflib's production names, in the words of the query language
PRODUCTIONS = {
    "{SelectQuery | ConstructQuery | DescribeQuery | AskQuery}": (
        "SELECT, CONSTRUCT, DESCRIBE or ASK"
    ),
    "end of text": "the end of the query",
}
# IRIs, strings and comments are blanked (same length) so their words are not taken for keywords
_OPAQUE = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*""")
_WORD = re.compile(r"(?<![?$:@\w])[A-Za-z_][A-Za-z_0-9]*(?![\w:])")
_TOKEN = re.compile(r"[^\s(){}\[\],;.]{1,30}|\S")


def offset(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    lines = text.split("\n")
    line = max(1, min(line, len(lines)))
    return sum(len(x) + 1 for x in lines[: line - 1]) + max(0, column - 1)


def hint(text: str, at: int, *, exact: bool = True) -> str:
    """What the parser met at ``at`` ("unexpected 'X'"; "near 'X'" when the parser's position is
    only approximate, as Oxigraph's is), and "did you mean Y?" for the mistyped keyword at or
    before it."""
    plain = _OPAQUE.sub(lambda m: " " * len(m.group()), text)
    token = _TOKEN.match(text, _skip_space(text, at))
    if token is None:
        said = "unexpected end of the query"
    else:
        said = f"{'unexpected' if exact else 'near'} {token.group()!r}"
    typo = _typo_near(plain, at)
    if typo is None:
        return said
    word, meant = typo
    if token is None or not token.group().startswith(word):
        return f"{said}: {word!r} is no SPARQL keyword; did you mean {meant}?"
    return f"{said}; did you mean {meant}?"


def _skip_space(text: str, at: int) -> int:
    """The start of the token at or after ``at`` (a position inside a word moves to its start)."""
    at = min(max(at, 0), len(text))
    while 0 < at < len(text) and _is_word(text[at]) and _is_word(text[at - 1]):
        at -= 1
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _typo_near(plain: str, at: int) -> tuple[str, str] | None:
    """The last bare word starting at or before ``at`` that is no SPARQL word but close to a
    keyword, and that keyword."""
    found = None
    for m in _WORD.finditer(plain):
        if m.start() > at:
            break
        word = m.group()
        if word.upper() in WORDS:
            continue
        close = difflib.get_close_matches(word.upper(), KEYWORDS, n=1, cutoff=0.7)
        if close:
            found = (word, close[0])
    return found


def rdflib_message(text: str, line: int | None, column: int | None, msg: str) -> str:
    """rdflib's parse error as a user reads it: where, what was found, what was wanted."""
    expected = msg[len("Expected ") :] if msg.startswith("Expected ") else msg
    expected = PRODUCTIONS.get(expected, expected)
    if line is None or column is None:
        return msg
    found = hint(text, offset(text, line, column))
    # a bare production name ("SelectQuery") says nothing to a user: leave it out then
    wanted = "" if re.fullmatch(r"[A-Z][A-Za-z]+", expected) else f" (expected {expected})"
    return f"line {line}, column {column}: {found}{wanted}"


_OX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


def oxigraph_message(text: str, msg: str) -> str:
    """Oxigraph's syntax error with the word the user typed named (its position is where it
    gave up, often just after the culprit)."""
    m = _OX.match(msg)
    if not m:
        return msg
    line, column, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    wanted = rest if len(rest) <= 80 and "\n" not in rest else "a different token"
    found = hint(text, offset(text, line, column), exact=False)
    return f"line {line}, column {column}: {found} ({wanted})"
