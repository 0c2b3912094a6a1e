"""Named queries: ``queries/*.rq`` files whose metadata sits in ``#+ key: value`` comments.

Each file stays valid SPARQL. Parameters are declared as

    #+ param: roundTable | integer[1..4] | 2 | The round table's number.

(name | type | example | description; a type ending in ``?`` is optional). Values are checked
against their type and passed to the store as RDF terms bound to ``?name``: never spliced into
the query text, so a parameter cannot change the query. A binding acts like a trailing
``VALUES`` clause (SPARQL 1.1 §18.2.4.3; Oxigraph's substitutions work so): it joins with the
projected solutions, so every parameter must be projected and should be bound by a triple
pattern, not tested with ``BOUND``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.errors import ParameterError, SourceError, UnknownQuery, UnknownResource

_HEADER = re.compile(r"^#\+\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_TYPE = re.compile(
    r"^(integer|string|iri|actor|sdg-target|date|boolean)(?:\[(-?\d+)\.\.(-?\d+)\])?(\?)?$"
)
#: characters a parameter value may have (a string parameter: MAX_STRING)
MAX_VALUE = 2000
MAX_STRING = 500
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    example: str
    description: str
    optional: bool = False
    minimum: int | None = None
    maximum: int | None = None

    def to_term(self, raw: str) -> Node:
        """Check ``raw`` against the declared type and return the RDF term to bind."""
        try:
            term = self._convert(raw.strip())
        except ValueError as exc:
            raise ParameterError(f"parameter {self.name!r}: {exc}") from None
        return term

    def _convert(self, raw: str) -> Node:
        if len(raw) > MAX_VALUE:  # an IRI or a slug longer than this names nothing in the graph
            raise ValueError(f"longer than {MAX_VALUE} characters")
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,9}", raw):
                raise ValueError(f"{raw!r} is not an integer")
            n = int(raw)
            if (
                self.minimum is not None
                and self.maximum is not None
                and not (self.minimum <= n <= self.maximum)
            ):
                raise ValueError(f"{n} is outside {self.minimum}..{self.maximum}")
            return Literal(n, datatype=XSD.integer)
        if self.type == "string":
            if len(raw) > MAX_STRING:
                raise ValueError(f"longer than {MAX_STRING} characters")
            return Literal(raw)
        if self.type == "date":
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
                raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)")
            return Literal(raw, datatype=XSD.date)
        if self.type == "boolean":
            if raw not in {"true", "false"}:
                raise ValueError(f"{raw!r} is not true or false")
            return Literal(raw == "true")
        if self.type == "actor":
            if raw.startswith(iris.ID + "actor/"):
                raw = raw[len(iris.ID + "actor/") :]
            return iris.actor(raw.lower() if len(raw) == 3 else raw)
        if self.type == "sdg-target":
            if raw.startswith(iris.SDG):
                raw = raw[len(iris.SDG) :]
            return iris.sdg_target(raw)
        # iri
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
            raise ValueError(f"{raw!r} is not an absolute http(s) IRI")
        return URIRef(raw)


#: the forms a resource parameter accepts, for the message when one names nothing
RESOURCE_FORMS = {
    "actor": "an ISO 3166 alpha-3 code (e.g. mex), an actor slug (e.g. {example}) or the "
    "actor's IRI (https://w3id.org/gcm-kg/id/actor/...); /api/actors lists them",
    "sdg-target": "an SDG target code (e.g. 10.7) or its IRI ({sdg}10.7)",
    "iri": "the IRI of a resource in the graph, e.g. {example}",
}
_MENTIONED = "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }"
#: (store, version, IRI) -> whether the store mentions it
_KNOWN: dict[tuple[int, str, str], bool] = {}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: Path | None = None

    def bindings(self, values: Mapping[str, str]) -> dict[str, Node]:
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {', '.join(unknown)} for query {self.name!r}; "
                f"it takes: {', '.join(known) or 'none'}"
            )
        out: dict[str, Node] = {}
        for p in self.params:
            if p.name in values:
                out[p.name] = p.to_term(values[p.name])
            elif not p.optional:
                raise ParameterError(
                    f"query {self.name!r} needs parameter {p.name!r} ({p.type}, e.g. {p.example})"
                )
        return out

    def check_resources(self, store: Any, bindings: Mapping[str, Node]) -> None:
        """Raise UnknownResource when a resource parameter (actor, SDG target, IRI) names
        nothing in ``store``: the accepted forms are listed instead of an empty answer."""
        for p in self.params:
            term = bindings.get(p.name)
            if p.type not in RESOURCE_FORMS or not isinstance(term, URIRef):
                continue
            key = (id(store), store.version(), str(term))
            known = _KNOWN.get(key)
            if known is None:
                known = bool(store.query(_MENTIONED, bindings={"x": term}).boolean)
                if len(_KNOWN) >= 4096:
                    _KNOWN.clear()
                _KNOWN[key] = known
            if not known:
                forms = RESOURCE_FORMS[p.type].format(example=p.example, sdg=iris.SDG)
                raise UnknownResource(
                    f"parameter {p.name!r}: <{term}> names nothing in the graph; give {forms}"
                )

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "optional": p.optional,
                    "example": p.example,
                    "description": p.description,
                    "minimum": p.minimum,
                    "maximum": p.maximum,
                }
                for p in self.params
            ],
        }


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            params.append(_param(value, path, lineno))
        elif key in {"title", "description"}:
            meta[key] = (meta.get(key, "") + " " + value).strip()
        else:
            raise SourceError(f"unknown header key {key!r}", path, lineno)
    for key in ("title", "description"):
        if key not in meta:
            raise SourceError(f"missing '#+ {key}:' header", path, 1)
    select = re.search(r"^SELECT\b(.*?)(?:\bWHERE\b|\{|$)", text, re.M | re.I)
    for p in params:
        # Oxigraph binds a variable only when the query projects it (SEP-0007 substitution)
        if not select or not re.search(r"\?" + p.name + r"\b", select.group(1)):
            raise SourceError(f"parameter ?{p.name} must be projected by the SELECT line", path)
    return NamedQuery(path.stem, meta["title"], meta["description"], text, tuple(params), path)


def _param(spec: str, path: Path, line: int) -> Param:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) != 4:
        raise SourceError("param needs 'name | type | example | description'", path, line)
    name, type_spec, example, description = parts
    m = _TYPE.match(type_spec)
    if not _NAME.fullmatch(name) or not m:
        raise SourceError(f"bad param name or type {name!r} {type_spec!r}", path, line)
    kind, lo, hi, opt = m.groups()
    return Param(
        name,
        kind,
        example,
        description,
        bool(opt),
        int(lo) if lo is not None else None,
        int(hi) if hi is not None else None,
    )


@cache
def _load(directory: Path) -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        q = parse_query_file(path)
        queries[q.name] = q
    return queries


@cache
def _resolved(directory: Path) -> Path:
    return directory.resolve()


def catalogue(directory: Path) -> dict[str, NamedQuery]:
    """All named queries of a folder, parsed once per process (no file system call per use)."""
    return _load(_resolved(directory))


def get(directory: Path, name: str) -> NamedQuery:
    queries = catalogue(directory)
    if name not in queries:
        raise UnknownQuery(f"no named query {name!r}; known: {', '.join(sorted(queries))}")
    return queries[name]
