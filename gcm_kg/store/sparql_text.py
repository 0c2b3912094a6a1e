"""SPARQL text for a remote server: where a query's WHERE group opens, and a safe VALUES block.

A remote SPARQL 1.1 server takes no pre-bound variables, so named-query parameters are sent
as a ``VALUES`` block placed first inside the query's outermost WHERE group. That is the same
as pre-binding for every pattern and FILTER of that group (a group's FILTERs apply to the whole
group, so ``FILTER(!BOUND(?x))`` sees the value). Why this is safe against injection:

* the block is built only from RDF terms, never from raw text: IRIs must match the SPARQL
  ``IRIREF`` production, literals are written as a quoted string whose ``"``, ``\\``, CR and
  LF are escaped, language tags and datatypes are checked; blank nodes are refused;
* SPARQL processes ``\\u`` escapes before parsing, so a literal holding ``\\u`` or ``\\U`` is
  refused rather than risk it being read as a quote;
* the position is found by a scanner that skips comments, strings and IRIs, so the block can
  never land inside one of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from gcm_kg.errors import BadRequest, ParameterError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^"\\]|\\.))*\"\"\"
              |'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              |"(?:[^"\\\n\r]|\\.)*"
              |'(?:[^'\\\n\r]|\\.)*')
  | (?P<open>\{) | (?P<close>\}) | (?P<lparen>\() | (?P<rparen>\))
  | (?P<word>[^\s{}()<>"'\#,;]+)
  | (?P<other>.)
    """,
    re.X | re.S,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_IRI_OK = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG_OK = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_VAR_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Shape:
    """What a remote client must know about a query's text."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset: bool  # the text has its own FROM / FROM NAMED
    uses_graph: bool  # the text has a GRAPH pattern somewhere (named graphs matter)
    group_open: int | None  # index of the outermost WHERE group's "{"
    group_close: int | None  # index of its matching "}"
    subselect: bool  # that group is a sub-SELECT: VALUES must wrap it
    template: tuple[int, int] | None  # CONSTRUCT WHERE short form: the group is the template


@lru_cache(maxsize=512)
def shape(query: str) -> Shape:
    """Scan ``query`` once (cached: named queries repeat) for its form, dataset and WHERE group."""
    form = ""
    has_dataset = False
    uses_graph = False
    depth = 0
    paren = 0
    open_at: int | None = None
    close_at: int | None = None
    first_word_in_group: str | None = None
    construct_template_done = False
    construct_where_seen = False
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("ws", "comment", "string", "iri"):
            continue
        text = m.group()
        if open_at is not None and depth == 1 and first_word_in_group is None:
            first_word_in_group = text.upper()
        if kind == "word":
            upper = text.upper()
            uses_graph = uses_graph or upper == "GRAPH"
            if depth == 0 and paren == 0:
                if not form and upper in _FORMS:
                    form = upper
                elif upper == "FROM":
                    has_dataset = True
                elif upper == "WHERE" and form == "CONSTRUCT":
                    construct_where_seen = True
        elif kind == "lparen":
            paren += 1
        elif kind == "rparen":
            paren -= 1
        elif kind == "open":
            if depth == 0 and paren == 0 and open_at is None and form:
                is_template = (
                    form == "CONSTRUCT" and not construct_template_done and not construct_where_seen
                )
                if is_template:
                    construct_template_done = True
                else:
                    open_at = m.start()
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0 and open_at is not None and close_at is None:
                close_at = m.start()
    template = None
    if form == "CONSTRUCT" and construct_where_seen and not construct_template_done:
        template = (open_at, close_at) if open_at is not None and close_at is not None else None
    return Shape(
        form or "SELECT",
        has_dataset,
        uses_graph,
        open_at,
        close_at,
        first_word_in_group == "SELECT",
        template,  # type: ignore[arg-type]
    )


def term_n3(term: Node) -> str:
    """One RDF term in SPARQL syntax, or ParameterError when it cannot be written safely."""
    if isinstance(term, URIRef):
        return "<" + _iri(str(term)) + ">"
    if isinstance(term, Literal):
        lexical = str(term)
        if "\\u" in lexical or "\\U" in lexical:
            raise ParameterError("a value containing '\\u' cannot be sent to a remote store")
        quoted = (
            '"'
            + lexical.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            + '"'
        )
        if term.language:
            if not _LANG_OK.fullmatch(term.language):
                raise ParameterError(f"bad language tag {term.language!r}")
            return quoted + "@" + term.language
        if term.datatype and term.datatype != XSD.string:
            return quoted + "^^<" + _iri(str(term.datatype)) + ">"
        return quoted
    if isinstance(term, BNode):
        raise ParameterError("a blank node cannot be bound in a query sent to a remote store")
    raise ParameterError(f"cannot bind {type(term).__name__}")


def _iri(value: str) -> str:
    if not _IRI_OK.fullmatch(value) or ":" not in value:
        raise ParameterError(f"not a valid absolute IRI: {value!r}")
    return value


def values_block(bindings: Mapping[str, Node]) -> str:
    names = sorted(bindings)
    for n in names:
        if not _VAR_OK.fullmatch(n):
            raise ParameterError(f"bad variable name {n!r}")
    variables = " ".join("?" + n for n in names)
    row = " ".join(term_n3(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({row}) }}"


def bind(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``bindings`` as a VALUES block first in its outermost WHERE group."""
    if not bindings:
        return query
    s = shape(query)
    if s.group_open is None or s.group_close is None:
        raise BadRequest("parameters need a query with a WHERE group")
    block = values_block(bindings)
    start, end = s.group_open, s.group_close
    if s.template is not None:
        # CONSTRUCT WHERE { P } -> CONSTRUCT { P } WHERE { VALUES … P }
        body = query[start + 1 : end]
        head = re.sub(r"WHERE\s*$", "", query[:start], flags=re.I)
        return f"{head}{{{body}}} WHERE {{\n{block}\n{body}}}{query[end + 1 :]}"
    if s.subselect:
        # a group that is a sub-SELECT cannot hold anything else: wrap it
        return f"{query[: start + 1]}\n{block}\n{{{query[start + 1 : end]}}}\n{query[end:]}"
    return f"{query[: start + 1]}\n{block}\n{query[start + 1 :]}"
